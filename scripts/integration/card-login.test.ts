import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pkcs11Module, type CardSession } from '../../electron/core/card/pkcs11-card';
import { SoftwareTestCard } from '../../electron/core/card/software-test-card';
import { loginWithCard, LoginError } from '../../electron/core/session/card-login-client';
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
    card.close();
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

  it('reports the refusal of a TEST card by a server outside demo mode in the server own words', async () => {
    const testCard = new SoftwareTestCard(pki.demoCard.file);
    testCard.login(pki.demoCard.pin);
    await expect(loginWithCard({ apiBase, card: testCard })).rejects.toThrow(LoginError);
    await expect(loginWithCard({ apiBase, card: testCard })).rejects.toThrow(/TEST card/);
  });
});
