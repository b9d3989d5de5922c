import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pkcs11Module, type CardSession } from '../../electron/core/card/pkcs11-card';
import { SoftwareTestCard } from '../../electron/core/card/software-test-card';
import { execFileSync } from 'node:child_process';
import { watchCardPresence } from '../../electron/core/card/card-presence';
import { loginWithCard, LoginError } from '../../electron/core/session/card-login-client';
import { CardLoginSession } from '../../electron/core/session/card-session';
import { openPgliteDatabase } from '../../server/db/pglite-database';
import { HPR_SYSTEM } from '../../server/fhir/identifiers';
import { createJournalServer } from '../../server/journal-server';
import { ResourceStore } from '../../server/store/resource-store';
import { createTestPki, type TestPki } from '../test-pki/create-test-pki';

/** Workstation core and journal server together: card login end to end, on a SoftHSM2 card. */
describe('card login, workstation to journal', () => {
  let dir = '';
  let pki: TestPki;
  let module: Pkcs11Module;
  let card: CardSession;
  let apiBase = '';
  let close: () => Promise<void>;
  const der = (pem: string): Uint8Array => Uint8Array.from(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'akson-login-'));
    pki = createTestPki(dir);
    process.env.SOFTHSM2_CONF = pki.softhsmConf;
    const database = await openPgliteDatabase();
    const { app, baseUrl } = await createJournalServer({ database, version: '0.1.0', cardLogin: { trustedRoots: [der(pki.caCertPem)], crls: [der(pki.crlPem)] } });
    await new ResourceStore(database).db.transaction((tx) =>
      new ResourceStore(database).create(tx, 'Practitioner', { resourceType: 'Practitioner', identifier: [{ system: HPR_SYSTEM, value: pki.clinicians[0]?.hpr ?? '' }] }),
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    apiBase = baseUrl().replace(/\/fhir$/, '');
    close = () => app.close();
    module = Pkcs11Module.load(pki.modulePath);
    card = module.open(pki.clinicians[0]?.tokenLabel ?? '');
    card.login(pki.clinicians[0]?.pin ?? '');
  }, 60_000);
  afterAll(async () => {
    try {
      card.close();
    } catch {
      // The removal test takes this card out of its reader.
    }
    module.close();
    await close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs in with the card and reads the journal with the token', async () => {
    const token = await loginWithCard({ apiBase, card });
    expect(token.expiresAt.getTime() - Date.now()).toBeGreaterThan(14 * 60_000);
    const response = await fetch(`${apiBase}/fhir/Patient`, { headers: { authorization: `Bearer ${token.accessToken}`, accept: 'application/fhir+json' } });
    expect(response.status).toBe(200);
  });

  it('reports the refusal of a TEST card by a server outside demo mode in the server\'s own words', async () => {
    const testCard = new SoftwareTestCard(pki.demoCard.file);
    testCard.login(pki.demoCard.pin);
    await expect(loginWithCard({ apiBase, card: testCard })).rejects.toThrow(LoginError);
    await expect(loginWithCard({ apiBase, card: testCard })).rejects.toThrow(/UNTRUSTED_CHAIN/);
  });
  it('renews the token while the card is in, and locks within 2 seconds of the card coming out', async () => {
    // A second session on Kari's card (the journal knows Kari), which this test then takes out.
    const second = module.open(pki.clinicians[0]?.tokenLabel ?? '');
    second.login(pki.clinicians[0]?.pin ?? '');
    const session = new CardLoginSession({
      apiBase,
      card: second,
      renewAheadMs: 15 * 60_000 - 1_000,
      watchPresence: (onRemoved) => watchCardPresence({ module, label: pki.clinicians[0]?.tokenLabel ?? '', onRemoved }),
    });
    const states: string[] = [];
    session.onChange((state) => states.push(state));
    await session.start();
    const first = session.token();
    expect(first).toBeDefined();
    await expect.poll(() => session.token() !== first, { timeout: 5_000, interval: 100 }).toBe(true);
    const takenOut = Date.now();
    execFileSync('softhsm2-util', ['--delete-token', '--token', pki.clinicians[0]?.tokenLabel ?? ''], { env: process.env, stdio: 'ignore' });
    await expect.poll(() => session.status, { timeout: 2_500, interval: 50 }).toBe('locked');
    expect(Date.now() - takenOut).toBeLessThan(2_500);
    expect(session.token()).toBeUndefined();
    expect(states).toEqual(['active', 'locked']);
  });

});
