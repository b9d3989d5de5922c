// Declares the shape of the provided 'testPki'.
import type {} from '../../shared/test-support/test-pki.test-context';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { HPR_SYSTEM } from '../fhir/identifiers';
import { createJournalServer } from '../journal-server';
import { cardAssertion } from '../test-support/card-assertion';
import { softwareCardAssertion } from '../test-support/software-card-assertion';
import { fhir, openTestDatabase } from '../test-support/test-databases';
import { AUDIENCE } from './card-login';

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
      const assertion = softwareCardAssertion(pki.demoCard.file, pki.demoCard.pin, { challenge, aud: AUDIENCE, iat: Math.floor(Date.now() / 1000) });
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
      const assertion = softwareCardAssertion(pki.demoCard.file, pki.demoCard.pin, { challenge, aud: AUDIENCE, iat: Math.floor(Date.now() / 1000) });
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
        const practitioner = await store.create(tx, 'Practitioner', {
          resourceType: 'Practitioner',
          identifier: [{ system: HPR_SYSTEM, value: person?.hpr ?? '' }],
          name: [{ text: person?.name ?? '' }],
        });
        practitionerId ||= practitioner.id;
        await store.create(tx, 'PractitionerRole', {
          resourceType: 'PractitionerRole',
          practitioner: { reference: `Practitioner/${practitioner.id}` },
          organization: { reference: 'Organization/legekontor-1' },
          code: [{ coding: [{ code: 'physician' }] }],
        });
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
  const assertion = (person: typeof kari, value: string, keyId = 1) =>
    cardAssertion({
      modulePath: pki.modulePath,
      tokenLabel: person?.tokenLabel ?? '',
      pin: person?.pin ?? '',
      keyId,
      payload: { challenge: value, aud: AUDIENCE, iat: Math.floor(clock.now / 1000) },
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
    const answer = await token(softwareCardAssertion(pki.demoCard.file, pki.demoCard.pin, { challenge: await challenge(), aud: AUDIENCE, iat: Math.floor(clock.now / 1000) }));
    expect(answer.status).toBe(401);
    expect(JSON.stringify(answer.body)).toContain('UNTRUSTED_CHAIN');
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
