// Declares the shape of the provided 'testPki'.
import type {} from '../../shared/test-support/test-pki.test-context';
import { Agent, request } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Database } from '../db/database';
import { HPR_SYSTEM } from '../fhir/identifiers';
import { createJournalServer } from '../journal-server';
import { ResourceStore } from '../store/resource-store';
import { cardAssertion } from '../test-support/card-assertion';
import { openTestDatabase } from '../test-support/test-databases';
import { journalAudience } from './journal-audience';
import type { RateLimitOptions } from './rate-limit';

const pki = inject('testPki');
const der = (pem: string): Uint8Array => Uint8Array.from(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
const [kari] = pki.clinicians;

interface Answer {
  status: number;
  retryAfter: string | undefined;
  body: Record<string, unknown>;
}

/**
 * On Linux all of 127.0.0.0/8 is loopback, so a client can pick its source address: the server
 * sees 127.0.0.2 and 127.0.0.1 as two machines. One keep-alive pool per source address.
 */
const agents = new Map<string, Agent>();
const call = (base: string, path: string, { from, body, headers = {} }: { from: string; body?: unknown; headers?: Record<string, string> }): Promise<Answer> => {
  const url = new URL(path, base);
  const payload = body === undefined ? '' : JSON.stringify(body);
  const agent = agents.get(from) ?? new Agent({ keepAlive: true, maxSockets: 16 });
  agents.set(from, agent);
  return new Promise((resolve, reject) => {
    const sent = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: body === undefined ? 'GET' : 'POST',
        localAddress: from,
        agent,
        headers: { accept: 'application/fhir+json', 'content-type': 'application/fhir+json', 'content-length': Buffer.byteLength(payload), ...headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const retryAfter = response.headers['retry-after'];
          resolve({ status: response.statusCode ?? 0, retryAfter, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} });
        });
        response.on('error', reject);
      },
    );
    sent.on('error', reject);
    sent.end(payload);
  });
};

const journal = async (options: { trustProxy?: string[]; rateLimit?: RateLimitOptions } = {}) => {
  const database = await openTestDatabase('pglite');
  const { app, baseUrl } = await createJournalServer({
    database,
    version: '0.1.0',
    ...(options.trustProxy ? { trustProxy: options.trustProxy } : {}),
    cardLogin: { trustedRoots: [der(pki.caCertPem)], crls: [der(pki.crlPem)], ...(options.rateLimit ? { rateLimit: options.rateLimit } : {}) },
  });
  await database.transaction((tx) =>
    new ResourceStore(database).create(tx, 'Practitioner', { resourceType: 'Practitioner', identifier: [{ system: HPR_SYSTEM, value: kari?.hpr ?? '' }] }),
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { base: baseUrl().replace(/\/fhir$/, ''), database, close: () => app.close() };
};

describe('login under a flood from one address', () => {
  let server: { base: string; database: Database; close: () => Promise<void> };
  beforeAll(async () => {
    process.env.SOFTHSM2_CONF = pki.softhsmConf;
    server = await journal();
  });
  afterAll(async () => {
    await server.close();
    for (const agent of agents.values()) {
      agent.destroy();
    }
  });

  /** A whole card login, challenge to a FHIR read, from one address. */
  const login = async (from: string): Promise<number[]> => {
    const challenge = await call(server.base, '/auth/challenge', { from, body: {} });
    const assertion = cardAssertion({
      modulePath: pki.modulePath,
      tokenLabel: kari?.tokenLabel ?? '',
      pin: kari?.pin ?? '',
      keyId: 1,
      payload: { challenge: challenge.body.challenge, aud: journalAudience(server.base), iat: Math.floor(Date.now() / 1000) },
    });
    const token = await call(server.base, '/auth/token', { from, body: { assertion } });
    const read = await call(server.base, '/fhir/Practitioner', { from, headers: { authorization: `Bearer ${String(token.body.access_token)}` } });
    return [challenge.status, token.status, read.status];
  };

  it('answers the flooding address 429 with Retry-After, and another address logs in all the way meanwhile', async () => {
    const flooder = '127.0.0.2';
    const answers = { challenge: [] as Answer[], token: [] as Answer[] };
    let flooding = true;
    const started = Date.now();
    const flood = (async () => {
      for (let round = 0; flooding; round += 1) {
        // 32 in flight at a time, both login endpoints, some claiming to be someone else by header.
        await Promise.all(
          Array.from({ length: 32 }, async (_, i) => {
            const headers = i % 4 === 0 ? { 'x-forwarded-for': `10.0.${round % 250}.${i}` } : undefined;
            const route = i % 2 === 0 ? 'challenge' : 'token';
            const answer = await call(server.base, `/auth/${route}`, { from: flooder, body: route === 'token' ? { assertion: 'x.y.z' } : {}, ...(headers ? { headers } : {}) });
            answers[route].push(answer);
          }),
        );
      }
    })();
    const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const refusedBoth = () => answers.challenge.some((a) => a.status === 429) && answers.token.some((a) => a.status === 429);
    let during: number;
    let after: number;
    let legitimate: number[];
    try {
      // The legitimate login starts a second into the flood, once it is refused on both
      // endpoints (or never, after 10 s), and the flood goes on for another second after it.
      while ((Date.now() - started < 1_000 || !refusedBoth()) && Date.now() - started < 10_000) {
        await wait(10);
      }
      expect(refusedBoth(), 'the flood is refused').toBe(true);
      during = answers.challenge.length + answers.token.length;
      legitimate = await login('127.0.0.1');
      after = answers.challenge.length + answers.token.length;
      await wait(1_000);
    } finally {
      flooding = false;
      await flood;
    }
    const seconds = (Date.now() - started) / 1000;

    expect(legitimate).toEqual([200, 200, 200]);
    // The flood went on while the clinician logged in.
    expect(after).toBeGreaterThan(during);
    for (const route of ['challenge', 'token'] as const) {
      const refused = answers[route].filter((a) => a.status === 429);
      expect(refused.length, route).toBeGreaterThan(20);
      // The burst (60) and the steady rate (2 per second) get through, nothing more; a made-up X-Forwarded-For changes nothing.
      expect(answers[route].length - refused.length, route).toBeLessThanOrEqual(60 + Math.ceil(seconds * 2));
      for (const answer of refused) {
        expect(Number(answer.retryAfter)).toBeGreaterThanOrEqual(1);
        expect(answer.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'throttled' }] });
      }
    }
    // One audit row per run of refusals, not one per refused request.
    const { rows } = await server.database.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE interaction = 'login' AND reason = 'throttled'");
    const throttledRows = rows[0]?.n ?? 0;
    expect(throttledRows).toBeGreaterThanOrEqual(1);
    expect(throttledRows).toBeLessThanOrEqual(2 + Math.ceil(seconds * 2));
    expect(throttledRows).toBeLessThan(answers.token.filter((a) => a.status === 429).length);
  });
});

describe('login rate limit behind a trusted proxy', () => {
  it('counts the workstations the proxy names, and only a trusted proxy may name them', async () => {
    const server = await journal({ trustProxy: ['127.0.0.1'], rateLimit: { burst: 3, perSecond: 0.01, maxClients: 100 } });
    try {
      const challenge = (from: string, forwardedFor: string) => call(server.base, '/auth/challenge', { from, body: {}, headers: { 'x-forwarded-for': forwardedFor } });
      // Through the proxy (127.0.0.1): one workstation used up, another one still let in.
      const statuses = [];
      for (let i = 0; i < 5; i += 1) {
        statuses.push((await challenge('127.0.0.1', '10.1.1.1')).status);
      }
      expect(statuses).toEqual([200, 200, 200, 429, 429]);
      expect((await challenge('127.0.0.1', '10.1.1.2')).status).toBe(200);
      // Not through the proxy: X-Forwarded-For is ignored, the caller's own address counts.
      const direct = [];
      for (let i = 0; i < 5; i += 1) {
        direct.push((await challenge('127.0.0.3', `10.2.2.${i}`)).status);
      }
      expect(direct).toEqual([200, 200, 200, 429, 429]);
    } finally {
      await server.close();
    }
  });
});
