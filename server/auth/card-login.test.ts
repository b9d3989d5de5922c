// Declares the shape of the provided 'testPki'.
import type {} from '../../shared/test-support/test-pki.test-context';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { HPR_SYSTEM } from '../fhir/identifiers';
import { createJournalServer } from '../journal-server';
import { cardAssertion } from '../test-support/card-assertion';
import { addClinician } from '../test-support/directory-fixture';
import { softwareCardAssertion } from '../test-support/software-card-assertion';
import { fhir, openTestDatabase } from '../test-support/test-databases';
import { journalAudience } from './journal-audience';

const pki = inject('testPki');
const der = (pem: string): Uint8Array => Uint8Array.from(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
const [kari, ola, rita] = pki.clinicians;

describe('card login in demo mode', () => {
  it('accepts the software TEST card', async () => {
    const database = await openTestDatabase('pglite');
    const { app, baseUrl } = await createJournalServer({
      database,
      version: '0.1.0',
      cardLogin: { trustedRoots: [der(pki.caCertPem), der(pki.demoCaCertPem)], crls: [der(pki.crlPem), der(pki.demoCrlPem)], acceptTestCards: true },
    });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const base = baseUrl().replace(/\/fhir$/, '');
      await fhir(`${baseUrl()}/metadata`);
      const { ResourceStore } = await import('../store/resource-store');
      await database.transaction((tx) =>
        new ResourceStore(database).create(tx, 'Practitioner', { resourceType: 'Practitioner', identifier: [{ system: HPR_SYSTEM, value: pki.demoCard.hpr }] }),
      );
      const { challenge } = (await fhir(`${base}/auth/challenge`, { method: 'POST', body: {} })).body as { challenge: string };
      const assertion = softwareCardAssertion(pki.demoCard.file, pki.demoCard.pin, { challenge, aud: journalAudience(base), iat: Math.floor(Date.now() / 1000) });
      const answer = await fhir(`${base}/auth/token`, { method: 'POST', body: { assertion } });
      expect(answer.status).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('card login with the demo CA trusted but demo mode off', () => {
  it('still refuses the TEST card (OU=TEST)', async () => {
    const database = await openTestDatabase('pglite');
    const { app, baseUrl } = await createJournalServer({
      database,
      version: '0.1.0',
      cardLogin: { trustedRoots: [der(pki.caCertPem), der(pki.demoCaCertPem)], crls: [der(pki.crlPem), der(pki.demoCrlPem)] },
    });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const base = baseUrl().replace(/\/fhir$/, '');
      const { challenge } = (await fhir(`${base}/auth/challenge`, { method: 'POST', body: {} })).body as { challenge: string };
      const assertion = softwareCardAssertion(pki.demoCard.file, pki.demoCard.pin, { challenge, aud: journalAudience(base), iat: Math.floor(Date.now() / 1000) });
      const answer = await fhir(`${base}/auth/token`, { method: 'POST', body: { assertion } });
      expect(answer.status).toBe(401);
      expect(JSON.stringify(answer.body)).toContain('TEST card');
    } finally {
      await app.close();
    }
  });
});

describe('card login to the journal API', () => {
  let base = '';
  let close: () => Promise<void>;
  let practitionerId = '';
  const clock = { now: Date.now() };
  beforeAll(async () => {
    process.env.SOFTHSM2_CONF = pki.softhsmConf;
    const database = await openTestDatabase('pglite');
    const { app, baseUrl } = await createJournalServer({
      database,
      version: '0.1.0',
      now: () => new Date(clock.now),
      cardLogin: { trustedRoots: [der(pki.caCertPem)], crls: [der(pki.crlPem)] },
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = baseUrl().replace(/\/fhir$/, '');
    close = () => app.close();
    // Kari and Rita are clinicians of this journal; Ola is not.
    const { ResourceStore } = await import('../store/resource-store');
    const store = new ResourceStore(database, () => new Date(clock.now));
    await database.transaction(async (tx) => {
      for (const person of [kari, rita, { hpr: pki.demoCard.hpr, name: pki.demoCard.name }]) {
        const { practitionerId: id } = await addClinician(store, tx, { hpr: person?.hpr ?? '', name: person?.name ?? '' });
        practitionerId ||= id;
      }
    });
  });
  afterAll(async () => {
    await close();
  });

  const challenge = async (): Promise<string> => {
    const answer = await fhir(`${base}/auth/challenge`, { method: 'POST', body: {} });
    expect(answer.status).toBe(200);
    return answer.body.challenge as string;
  };
  const assertion = (person: typeof kari, value: string, keyId = 1, aud: unknown = journalAudience(base)) =>
    cardAssertion({
      modulePath: pki.modulePath,
      tokenLabel: person?.tokenLabel ?? '',
      pin: person?.pin ?? '',
      keyId,
      payload: { challenge: value, aud, iat: Math.floor(clock.now / 1000) },
    });
  const token = (value: string) => fhir(`${base}/auth/token`, { method: 'POST', body: { assertion: value } });

  it('lets a known clinician in with the card, and every call then carries the token', async () => {
    const login = await token(assertion(kari, await challenge()));
    expect(login.status).toBe(200);
    expect(login.body).toMatchObject({ token_type: 'Bearer', expires_in: 900 });
    const search = await fhir(`${base}/fhir/Patient`, { headers: { authorization: `Bearer ${String(login.body.access_token)}` } });
    expect(search.status).toBe(200);
  });

  it('refuses API calls without a token, but serves the CapabilityStatement', async () => {
    const refused = await fhir(`${base}/fhir/Patient`);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'login' }] });
    expect((await fhir(`${base}/fhir/metadata`)).status).toBe(200);
    expect((await fhir(`${base}/fhir/Patient`, { headers: { authorization: 'Bearer a.b.c' } })).status).toBe(401);
  });

  it('refuses a replayed challenge', async () => {
    const signed = assertion(kari, await challenge());
    expect((await token(signed)).status).toBe(200);
    const replay = await token(signed);
    expect(replay.status).toBe(401);
    expect(JSON.stringify(replay.body)).toContain('already used');
  });

  it('refuses a challenge that was never issued, and one that has expired', async () => {
    expect((await token(assertion(kari, 'made-up-challenge'))).status).toBe(401);
    const old = await challenge();
    clock.now += 61_000;
    try {
      expect((await token(assertion(kari, old))).status).toBe(401);
    } finally {
      clock.now -= 61_000;
    }
  });

  it('refuses a card holder the journal does not know', async () => {
    const answer = await token(assertion(ola, await challenge()));
    expect(answer.status).toBe(403);
  });

  it('refuses a revoked certificate, and the signing (non-repudiation) certificate for login', async () => {
    const revoked = await token(assertion(rita, await challenge()));
    expect(revoked.status).toBe(401);
    expect(JSON.stringify(revoked.body)).toContain('REVOKED');
    const wrongKey = await token(assertion(kari, await challenge(), 2));
    expect(wrongKey.status).toBe(401);
    expect(JSON.stringify(wrongKey.body)).toContain('WRONG_KEY_USAGE');
  });

  it('refuses the software TEST card: this server does not trust the demo CA', async () => {
    const answer = await token(softwareCardAssertion(pki.demoCard.file, pki.demoCard.pin, { challenge: await challenge(), aud: journalAudience(base), iat: Math.floor(clock.now / 1000) }));
    expect(answer.status).toBe(401);
    expect(JSON.stringify(answer.body)).toContain('UNTRUSTED_CHAIN');
  });

  it('answers the challenge with this deployment\'s audience, its origin', async () => {
    const answer = await fhir(`${base}/auth/challenge`, { method: 'POST', body: {} });
    expect(answer.body.audience).toBe(base);
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses a login signed for another journal (a relay with our challenge) and one for the old constant audience', async () => {
    const other = new URL(base);
    other.port = String(Number(other.port) + 1);
    for (const aud of ['https://hostile-journal.example.no', journalAudience(other.href), 'akson-journal', `${base}/fhir`, [base, 'https://hostile-journal.example.no'], null]) {
      const answer = await token(assertion(kari, await challenge(), 1, aud));
      expect(answer.status, JSON.stringify(aud)).toBe(401);
      expect(answer.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'login' }] });
      expect(JSON.stringify(answer.body)).toContain('This login was meant for another journal');
    }
  });

  it('issues access tokens by and for this deployment', async () => {
    const login = await token(assertion(kari, await challenge()));
    const claims = JSON.parse(Buffer.from(String(login.body.access_token).split('.')[1] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
    expect(claims).toMatchObject({ iss: base, aud: base });
  });

  it('lets the access token expire after 15 minutes', async () => {
    const login = await token(assertion(kari, await challenge()));
    const headers = { authorization: `Bearer ${String(login.body.access_token)}` };
    clock.now += 16 * 60_000;
    try {
      expect((await fhir(`${base}/fhir/Patient`, { headers })).status).toBe(401);
    } finally {
      clock.now -= 16 * 60_000;
    }
  });
});

describe('card login audience, one per deployment', () => {
  const opened: (() => Promise<void>)[] = [];
  afterAll(async () => {
    await Promise.all(opened.map((close) => close()));
  });
  beforeAll(() => {
    process.env.SOFTHSM2_CONF = pki.softhsmConf;
  });

  /** A journal trusting the test CA and knowing Kari; `local` is where this test reaches it, whatever its public URL. */
  const journal = async (options: { publicUrl?: string; baseUrl?: string } = {}) => {
    const database = await openTestDatabase('pglite');
    const { app, baseUrl } = await createJournalServer({ database, version: '0.1.0', ...options, cardLogin: { trustedRoots: [der(pki.caCertPem)], crls: [der(pki.crlPem)] } });
    const { ResourceStore } = await import('../store/resource-store');
    await database.transaction((tx) =>
      new ResourceStore(database).create(tx, 'Practitioner', { resourceType: 'Practitioner', identifier: [{ system: HPR_SYSTEM, value: kari?.hpr ?? '' }] }),
    );
    await app.listen({ port: 0, host: '127.0.0.1' });
    opened.push(() => app.close());
    const address = app.server.address();
    const local = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const login = async (aud: string) => {
      const { challenge } = (await fhir(`${local}/auth/challenge`, { method: 'POST', body: {} })).body as { challenge: string };
      const signed = cardAssertion({ modulePath: pki.modulePath, tokenLabel: kari?.tokenLabel ?? '', pin: kari?.pin ?? '', keyId: 1, payload: { challenge, aud, iat: Math.floor(Date.now() / 1000) } });
      return fhir(`${local}/auth/token`, { method: 'POST', body: { assertion: signed } });
    };
    return { local, baseUrl, login };
  };

  it('accepts its own origin however the public URL is written (case, default port, path), and only that', async () => {
    const https = await journal({ publicUrl: 'https://Journal.Example.no:443/' });
    expect(https.baseUrl()).toBe('https://journal.example.no/fhir');
    expect((await fhir(`${https.local}/auth/challenge`, { method: 'POST', body: {} })).body.audience).toBe('https://journal.example.no');
    expect((await https.login('https://journal.example.no')).status).toBe(200);
    for (const aud of ['https://journal.example.no:8443', 'http://journal.example.no', 'https://journal.example.no.hostile.example', 'https://journal.example.no/']) {
      expect((await https.login(aud)).status, aud).toBe(401);
    }
    // Without --public-url the audience comes from baseUrl, default port dropped the same way.
    const http = await journal({ baseUrl: 'http://JOURNAL.example.no:80/fhir' });
    expect((await http.login('http://journal.example.no')).status).toBe(200);
    expect((await http.login('https://journal.example.no')).status).toBe(401);
  });

  it('refuses a mistyped public URL at start', async () => {
    const database = await openTestDatabase('pglite');
    try {
      await expect(createJournalServer({ database, version: '0.1.0', publicUrl: 'journal.example.no' })).rejects.toThrow(/Not a journal URL/);
    } finally {
      await database.close();
    }
  });

  it('refuses at one journal the access token another issued, though both trust the same CA and know the same clinician', async () => {
    const a = await journal();
    const b = await journal();
    const login = await a.login(a.local);
    expect(login.status).toBe(200);
    const headers = { authorization: `Bearer ${String(login.body.access_token)}` };
    expect((await fhir(`${a.local}/fhir/Practitioner`, { headers })).status).toBe(200);
    const elsewhere = await fhir(`${b.local}/fhir/Practitioner`, { headers });
    expect(elsewhere.status).toBe(401);
    expect(JSON.stringify(elsewhere.body)).toContain('access token is not valid');
    // And A's login assertion, relayed to B, is refused there for its audience.
    const relayed = await b.login(a.local);
    expect(relayed.status).toBe(401);
    expect(relayed.body).toMatchObject({ issue: [{ diagnostics: `This login was meant for another journal (audience "${a.local}"); this journal is ${b.local}.` }] });
  });
});
