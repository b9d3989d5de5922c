// Declares the shape of the provided 'testPki'.
import type {} from '../../shared/test-support/test-pki.test-context';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Database } from '../db/database';
import { createJournalServer } from '../journal-server';
import { ResourceStore } from '../store/resource-store';
import { cardAssertion } from '../test-support/card-assertion';
import { addClinician } from '../test-support/directory-fixture';
import { fhir, openTestDatabase } from '../test-support/test-databases';
import { journalAudience } from './journal-audience';

const pki = inject('testPki');
const der = (pem: string): Uint8Array => Uint8Array.from(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
const [kari, ola, rita] = pki.clinicians;

interface LoginRow {
  principal: string;
  outcome: number;
  reason: string | null;
  subject: string | null;
}

describe('login attempts in the audit log', () => {
  let base = '';
  let database: Database;
  let close: () => Promise<void>;
  let kariId = '';
  const clock = { now: Date.now() };
  /** Every assertion sent, to prove none of it reached the audit log. */
  const sent: string[] = [];

  beforeAll(async () => {
    process.env.SOFTHSM2_CONF = pki.softhsmConf;
    database = await openTestDatabase('pglite');
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
    await database.transaction(async (tx) => {
      for (const person of [kari, rita]) {
        const { practitionerId } = await addClinician(new ResourceStore(database), tx, { hpr: person?.hpr ?? '', role: null });
        kariId ||= practitionerId;
      }
    });
  });
  afterAll(async () => {
    await close();
  });

  const challenge = async (): Promise<string> => (await fhir(`${base}/auth/challenge`, { method: 'POST', body: {} })).body.challenge as string;
  const assertion = (person: typeof kari, value: string, options: { keyId?: number; aud?: string } = {}) =>
    cardAssertion({
      modulePath: pki.modulePath,
      tokenLabel: person?.tokenLabel ?? '',
      pin: person?.pin ?? '',
      keyId: options.keyId ?? 1,
      payload: { challenge: value, aud: options.aud ?? journalAudience(base), iat: Math.floor(clock.now / 1000) },
    });
  /** Sends the assertion and answers the audit row it left. */
  const attempt = async (value: string, status: number): Promise<LoginRow> => {
    sent.push(value);
    const before = await database.query<{ seq: string }>("SELECT coalesce(max(seq), 0)::text AS seq FROM audit_log WHERE interaction = 'login'");
    const answer = await fhir(`${base}/auth/token`, { method: 'POST', body: { assertion: value } });
    expect(answer.status).toBe(status);
    const { rows } = await database.query<LoginRow>(
      "SELECT principal, outcome, reason, subject FROM audit_log WHERE interaction = 'login' AND seq > $1::bigint ORDER BY seq",
      [before.rows[0]?.seq ?? '0'],
    );
    expect(rows).toHaveLength(1);
    return rows[0] as LoginRow;
  };
  const subjectOf = (person: typeof kari) => expect.stringMatching(new RegExp(`CN=${person?.name ?? '?'}.*serialNumber=HPR-${person?.hpr ?? '?'}|serialNumber=HPR-${person?.hpr ?? '?'}.*CN=${person?.name ?? '?'}`)) as unknown;

  it('records a successful login as the practitioner, with reason ok and the certificate subject', async () => {
    expect(await attempt(assertion(kari, await challenge()), 200)).toEqual({ principal: `Practitioner/${kariId}`, outcome: 200, reason: 'ok', subject: subjectOf(kari) });
  });

  it('records every refusal as anonymous with its reason code, and the subject whenever a certificate could be read', async () => {
    const replayed = assertion(kari, await challenge());
    await attempt(replayed, 200);
    expect(await attempt(replayed, 401)).toEqual({ principal: 'anonymous', outcome: 401, reason: 'challenge-replayed', subject: subjectOf(kari) });
    expect(await attempt(assertion(kari, 'made-up-challenge'), 401)).toMatchObject({ principal: 'anonymous', reason: 'challenge-unknown', subject: subjectOf(kari) });
    const old = await challenge();
    clock.now += 61_000;
    try {
      expect(await attempt(assertion(kari, old), 401)).toMatchObject({ reason: 'challenge-expired', subject: subjectOf(kari) });
    } finally {
      clock.now -= 61_000;
    }
    expect(await attempt(assertion(ola, await challenge()), 403)).toEqual({ principal: 'anonymous', outcome: 403, reason: 'unknown-clinician', subject: subjectOf(ola) });
    expect(await attempt(assertion(rita, await challenge()), 401)).toMatchObject({ principal: 'anonymous', reason: 'certificate-refused:REVOKED', subject: subjectOf(rita) });
    expect(await attempt(assertion(kari, await challenge(), { keyId: 2 }), 401)).toMatchObject({ reason: 'certificate-refused:WRONG_KEY_USAGE', subject: subjectOf(kari) });
    expect(await attempt(assertion(kari, await challenge(), { aud: 'https://hostile-journal.example.no' }), 401)).toMatchObject({ reason: 'wrong-audience', subject: subjectOf(kari) });
    const [header = '', payload = '', signature = ''] = assertion(kari, await challenge()).split('.');
    const middle = Math.floor(signature.length / 2);
    const forged = `${header}.${payload}.${signature.slice(0, middle)}${signature[middle] === 'A' ? 'B' : 'A'}${signature.slice(middle + 1)}`;
    expect(await attempt(forged, 401)).toMatchObject({ reason: 'bad-signature', subject: subjectOf(kari) });
    expect(await attempt('not-a-login', 401)).toEqual({ principal: 'anonymous', outcome: 401, reason: 'malformed', subject: null });
  });

  it('never writes the assertion, or any part of it, to the audit log', async () => {
    const { rows } = await database.query<Record<string, unknown>>('SELECT * FROM audit_log');
    const everything = JSON.stringify(rows);
    expect(sent.length).toBeGreaterThan(5);
    for (const value of sent) {
      for (const part of [value, ...value.split('.').filter((piece) => piece.length > 20)]) {
        expect(everything).not.toContain(part);
      }
    }
  });
});
