import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pkcs11Module, type CardSession } from '../../electron/core/card/pkcs11-card';
import { SoftwareTestCard } from '../../electron/core/card/software-test-card';
import { execFileSync } from 'node:child_process';
import { watchCardPresence } from '../../electron/core/card/card-presence';
import { journalAudience as clientAudience, loginWithCard, LoginError } from '../../electron/core/session/card-login-client';
import { CardLoginSession } from '../../electron/core/session/card-session';
import { journalAudience as serverAudience } from '../../server/auth/journal-audience';
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
  const closers: (() => Promise<void>)[] = [];
  const der = (pem: string): Uint8Array => Uint8Array.from(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));

  const urlOf = (input: string | URL | Request): string => (input instanceof Request ? input.url : input.toString());

  /** A real journal on a random loopback port that knows Kari; returns its API root. */
  const journal = async (): Promise<string> => {
    const database = await openPgliteDatabase();
    const { app, baseUrl } = await createJournalServer({ database, version: '0.1.0', cardLogin: { trustedRoots: [der(pki.caCertPem)], crls: [der(pki.crlPem)] } });
    await new ResourceStore(database).db.transaction((tx) =>
      new ResourceStore(database).create(tx, 'Practitioner', { resourceType: 'Practitioner', identifier: [{ system: HPR_SYSTEM, value: pki.clinicians[0]?.hpr ?? '' }] }),
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    closers.push(() => app.close());
    return baseUrl().replace(/\/fhir$/, '');
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'akson-login-'));
    pki = createTestPki(dir);
    process.env.SOFTHSM2_CONF = pki.softhsmConf;
    apiBase = await journal();
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
    await Promise.all(closers.map((close) => close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs in with the card and reads the journal with the token', async () => {
    const token = await loginWithCard({ apiBase, card });
    expect(token.expiresAt.getTime() - Date.now()).toBeGreaterThan(14 * 60_000);
    const response = await fetch(`${apiBase}/fhir/Practitioner`, { headers: { authorization: `Bearer ${token.accessToken}`, accept: 'application/fhir+json' } });
    expect(response.status).toBe(200);
  });

  it('signs for the origin of the journal it means to log in to, however its address is written', async () => {
    const sent: string[] = [];
    const fakeJournal: typeof fetch = (input, init) => {
      if (urlOf(input).endsWith('/auth/token')) {
        sent.push((JSON.parse(typeof init?.body === 'string' ? init.body : '{}') as { assertion: string }).assertion);
        return Promise.resolve(Response.json({ access_token: 'a.b.c', token_type: 'Bearer', expires_in: 900 }));
      }
      return Promise.resolve(Response.json({ challenge: 'c1', expiresAt: new Date(Date.now() + 60_000).toISOString() }));
    };
    for (const [base, aud] of [
      ['https://Journal.Example.no:443', 'https://journal.example.no'],
      ['https://journal.example.no:8443', 'https://journal.example.no:8443'],
      ['http://journal.example.no:80/akson', 'http://journal.example.no'],
    ] as const) {
      await loginWithCard({ apiBase: base, card, fetchImpl: fakeJournal });
      const payload = JSON.parse(Buffer.from(sent.at(-1)?.split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
      expect(payload).toMatchObject({ challenge: 'c1', aud });
    }
  });

  it('does not adopt the audience a journal claims: a mismatch is reported and nothing is signed', async () => {
    let tokenAsked = false;
    const claimsAnother: typeof fetch = (input) => {
      tokenAsked ||= urlOf(input).endsWith('/auth/token');
      return Promise.resolve(Response.json({ challenge: 'c1', expiresAt: new Date(Date.now() + 60_000).toISOString(), audience: 'https://other-journal.example.no' }));
    };
    const refused = loginWithCard({ apiBase: 'https://journal.example.no', card, fetchImpl: claimsAnother });
    await expect(refused).rejects.toThrow(LoginError);
    await expect(refused).rejects.toThrow('The journal at https://journal.example.no calls itself https://other-journal.example.no');
    expect(tokenAsked).toBe(false);
  });

  it('is refused by a second journal when a hostile one relays the login there', async () => {
    const real = await journal();
    const hostile = 'http://hostile-journal.invalid:8080';
    // The hostile journal forwards to the real one and hides the real one's audience.
    const relay: typeof fetch = async (input, init) => {
      const answer = await fetch(urlOf(input).replace(hostile, real), init);
      const body = (await answer.json()) as Record<string, unknown>;
      delete body.audience;
      return Response.json(body, { status: answer.status });
    };
    const relayed = loginWithCard({ apiBase: hostile, card, fetchImpl: relay });
    await expect(relayed).rejects.toMatchObject({ name: 'LoginError', status: 401 });
    await expect(loginWithCard({ apiBase: hostile, card, fetchImpl: relay })).rejects.toThrow(
      `This login was meant for another journal (audience "${hostile}"); this journal is ${real}.`,
    );
    // The same card logs in there directly.
    await expect(loginWithCard({ apiBase: real, card })).resolves.toMatchObject({ accessToken: expect.any(String) as unknown });
  });

  it('normalises the audience the same way on both sides', () => {
    for (const url of ['https://Journal.Example.no:443/', 'http://127.0.0.1:8080/fhir', 'http://[::1]:80', 'https://u:p@journal.example.no:8443/x?y#z', 'HTTP://JOURNAL.EXAMPLE.NO']) {
      expect(clientAudience(url), url).toBe(serverAudience(url));
    }
    for (const bad of ['akson-journal', 'ftp://journal.example.no']) {
      expect(() => clientAudience(bad)).toThrow();
      expect(() => serverAudience(bad)).toThrow();
    }
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
