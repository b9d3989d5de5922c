import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bundle, Patient } from 'fhir/r4';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JournalClient } from './journal-client';

/**
 * Core tests may not import server/ (layer rule), so a tiny node:http server stands in for the
 * journal API and answers whatever each test needs, including the broken answers.
 */
interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

let server: Server;
let base: string;
let handler: Handler;
let seen: Seen[];

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'content-type': 'application/fhir+json', ...headers });
  res.end(JSON.stringify(body));
};
const outcome = (...issues: Record<string, unknown>[]) => ({ resourceType: 'OperationOutcome', issue: issues.map((i) => ({ severity: 'error', code: 'invalid', ...i })) });
const kari: Patient = { resourceType: 'Patient', id: 'p1', name: [{ family: 'Nordmann', given: ['Kari'] }] };

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/fhir`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  seen = [];
  handler = (_req, res) => json(res, 200, kari, { etag: 'W/"1"' });
});

const client = (options: { token?: string; timeoutMs?: number } = {}) =>
  new JournalClient({ fhirBase: `${base}/`, token: () => options.token, timeoutMs: options.timeoutMs ?? 2000 });

describe('requests', () => {
  it('read: GET type/id with the bearer token and FHIR JSON accept; version from the ETag', async () => {
    const result = await client({ token: 'tok-123' }).read('Patient', 'p1');
    expect(result).toMatchObject({ kind: 'ok', status: 200, resource: kari, versionId: '1' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/fhir/Patient/p1' });
    expect(seen[0]?.headers.authorization).toBe('Bearer tok-123');
    expect(seen[0]?.headers.accept).toBe('application/fhir+json');
  });

  it('sends no Authorization header without a token', async () => {
    await client().read('Patient', 'p1');
    expect(seen[0]?.headers.authorization).toBeUndefined();
  });

  it('create: POST type with If-None-Exist verbatim and a FHIR JSON body; 201 gives the Location', async () => {
    handler = (_req, res) => json(res, 201, { ...kari, id: 'new' }, { etag: 'W/"1"', location: `${base}/Patient/new/_history/1` });
    const { id: _id, ...withoutId } = kari;
    const result = await client({ token: 't' }).create(withoutId, 'identifier=urn:uuid:akson-client|abc-1');
    expect(result).toMatchObject({ kind: 'ok', status: 201, versionId: '1', location: `${base}/Patient/new/_history/1` });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/fhir/Patient' });
    expect(seen[0]?.headers['if-none-exist']).toBe('identifier=urn:uuid:akson-client|abc-1');
    expect(seen[0]?.headers['content-type']).toBe('application/fhir+json');
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual(withoutId);
  });

  it('create refuses to go without If-None-Exist criteria', () => {
    expect(() => client().create(kari, ' ')).toThrow(/If-None-Exist/);
    expect(seen).toHaveLength(0);
  });

  it('update: PUT type/id with If-Match W/"versionId", the format the server parses', async () => {
    handler = (_req, res) => json(res, 200, kari, { etag: 'W/"4"' });
    const result = await client().update(kari, '3');
    expect(result).toMatchObject({ kind: 'ok', versionId: '4' });
    expect(seen[0]).toMatchObject({ method: 'PUT', url: '/fhir/Patient/p1' });
    expect(seen[0]?.headers['if-match']).toBe('W/"3"');
  });

  it('update refuses a resource without id or a malformed versionId instead of sending it', () => {
    expect(() => client().update({ resourceType: 'Patient' }, '1')).toThrow(/id/);
    expect(() => client().update(kari, 'W/"3"')).toThrow(/versionId/);
  });

  it('transaction: POSTs the Bundle to the base itself', async () => {
    const bundle: Bundle = { resourceType: 'Bundle', type: 'transaction', entry: [] };
    handler = (_req, res) => json(res, 200, { resourceType: 'Bundle', type: 'transaction-response', entry: [] });
    expect(await client().transaction(bundle)).toMatchObject({ kind: 'ok', status: 200 });
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/fhir' });
    expect(JSON.parse(seen[0]?.body ?? '')).toEqual(bundle);
  });

  it('search: encodes parameters, repeated ones as repeated pairs', async () => {
    handler = (_req, res) => json(res, 200, { resourceType: 'Bundle', type: 'searchset', entry: [] });
    await client().search('Patient', { name: 'bjørn', birthdate: ['ge2000-01-01', 'lt2001-01-01'], identifier: 'urn:oid:2.16.578.1.12.4.1.4.1|15898010020' });
    const url = new URL(seen[0]?.url ?? '', 'http://x');
    expect(url.pathname).toBe('/fhir/Patient');
    expect([...url.searchParams]).toEqual([
      ['name', 'bjørn'],
      ['birthdate', 'ge2000-01-01'],
      ['birthdate', 'lt2001-01-01'],
      ['identifier', 'urn:oid:2.16.578.1.12.4.1.4.1|15898010020'],
    ]);
  });
});

describe('classification', () => {
  it('412 with an OperationOutcome is a conflict with its diagnostics, and nothing more is fetched', async () => {
    handler = (_req, res) => json(res, 412, outcome({ code: 'conflict', diagnostics: 'Version 3 is not the current version (4).' }));
    const result = await client().update(kari, '3');
    expect(result).toEqual({ kind: 'conflict', status: 412, message: 'Version 3 is not the current version (4).' });
    expect(seen).toHaveLength(1);
  });

  it('409 is a conflict too; a current resource in the body is passed on', async () => {
    handler = (_req, res) => json(res, 409, { ...kari, meta: { versionId: '7' } });
    expect(await client().update(kari, '3')).toMatchObject({ kind: 'conflict', status: 409, current: { id: 'p1', meta: { versionId: '7' } } });
  });

  it('other 4xx are rejected with the issues joined (diagnostics or details.text), never the request body', async () => {
    handler = (_req, res) =>
      json(res, 400, outcome({ diagnostics: 'Patient.identifier[0].value: bad check digits.' }, { details: { text: 'Second problem.' } }, {}));
    const result = await client().create(kari, 'identifier=x|1');
    expect(result).toEqual({ kind: 'rejected', status: 400, message: 'Patient.identifier[0].value: bad check digits.; Second problem.' });
    expect(JSON.stringify(result)).not.toMatch(/Nordmann|Kari/);
  });

  it('a 4xx without an OperationOutcome is named by its status only', async () => {
    handler = (_req, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<h1>Kari Nordmann not found</h1>');
    };
    expect(await client().read('Patient', 'p1')).toEqual({ kind: 'rejected', status: 404, message: 'HTTP 404' });
  });

  it('428 (update without If-Match) and 403 are rejected, not retried', async () => {
    handler = (_req, res) => json(res, 428, outcome({ diagnostics: 'If-Match is required.' }));
    expect(await client().read('Patient', 'p1')).toMatchObject({ kind: 'rejected', status: 428 });
    handler = (_req, res) => json(res, 403, outcome({ diagnostics: 'No access.' }));
    expect(await client().read('Patient', 'p1')).toMatchObject({ kind: 'rejected', status: 403, message: 'No access.' });
  });

  it('401 is its own kind, so the engine logs in again', async () => {
    handler = (_req, res) => json(res, 401, outcome({ code: 'login', diagnostics: 'Token expired.' }));
    expect(await client({ token: 'old' }).read('Patient', 'p1')).toEqual({ kind: 'unauthorized' });
  });

  it('500 is a retry; 503 and 429 carry Retry-After in seconds or as an HTTP-date', async () => {
    handler = (_req, res) => json(res, 500, outcome({ diagnostics: 'boom' }));
    expect(await client().read('Patient', 'p1')).toEqual({ kind: 'retry', reason: 'server-error', status: 500 });

    handler = (_req, res) => json(res, 503, outcome({}), { 'retry-after': '7' });
    expect(await client().read('Patient', 'p1')).toEqual({ kind: 'retry', reason: 'unavailable', status: 503, retryAfterMs: 7000 });

    const at = new Date(Date.now() + 120_000).toUTCString();
    handler = (_req, res) => json(res, 429, outcome({}), { 'retry-after': at });
    const limited = await client().read('Patient', 'p1');
    expect(limited).toMatchObject({ kind: 'retry', reason: 'rate-limited', status: 429 });
    // The HTTP-date has whole seconds and time passes between making it and reading it.
    expect(limited.kind === 'retry' ? limited.retryAfterMs : -1).toBeGreaterThan(115_000);
    expect(limited.kind === 'retry' ? limited.retryAfterMs : -1).toBeLessThanOrEqual(120_000);

    handler = (_req, res) => json(res, 503, outcome({}), { 'retry-after': '86400' });
    expect(await client().read('Patient', 'p1')).toMatchObject({ kind: 'retry', retryAfterMs: 600_000 });
  });

  it('a connection reset mid-body is a retry, not a half-read success', async () => {
    handler = (_req, res) => {
      const body = JSON.stringify(kari);
      res.writeHead(201, { 'content-type': 'application/fhir+json', 'content-length': String(body.length) });
      res.write(body.slice(0, 20));
      setTimeout(() => res.socket?.destroy(), 20);
    };
    expect(await client().create(kari, 'identifier=x|1')).toMatchObject({ kind: 'retry', reason: 'network' });
  });

  it('a reset in a chunked body without Content-Length is a retry too (undici may end such a body quietly)', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/fhir+json', connection: 'close', 'transfer-encoding': 'chunked' });
      res.write(JSON.stringify(kari).slice(0, 25));
      setTimeout(() => res.socket?.resetAndDestroy(), 20);
    };
    expect(await client().read('Patient', 'p1')).toMatchObject({ kind: 'retry' });
  });

  it('a 2xx whose JSON does not parse (cut off by a middlebox) is a retry', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/fhir+json' });
      res.end('{"resourceType":"Patient","na');
    };
    expect(await client().read('Patient', 'p1')).toEqual({ kind: 'retry', reason: 'bad-response', status: 200 });
  });

  it('a socket closed before any answer (socket hang up) is a retry', async () => {
    handler = (req) => req.socket.destroy();
    expect(await client().read('Patient', 'p1')).toMatchObject({ kind: 'retry', reason: 'network' });
  });

  it('ECONNREFUSED is a retry naming the code', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = new JournalClient({ fhirBase: `http://127.0.0.1:${port}/fhir`, token: () => undefined });
    expect(await refused.read('Patient', 'p1')).toEqual({ kind: 'retry', reason: 'network', code: 'ECONNREFUSED' });
  });

  it('no answer within the timeout is a retry (before the headers and in the middle of the body)', async () => {
    handler = (_req, res) => setTimeout(() => json(res, 200, kari), 1500);
    const started = Date.now();
    expect(await client({ timeoutMs: 100 }).read('Patient', 'p1')).toMatchObject({ kind: 'retry', reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1000);

    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/fhir+json', 'content-length': '1000' });
      res.write('{"resourceType":');
    };
    expect(await client({ timeoutMs: 100 }).read('Patient', 'p1')).toMatchObject({ kind: 'retry', reason: 'timeout' });
  });

  it('a redirect is rejected and not followed (the token stays with the journal)', async () => {
    handler = (_req, res) => {
      res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' });
      res.end();
    };
    expect(await client({ token: 't' }).read('Patient', 'p1')).toMatchObject({ kind: 'rejected', status: 302 });
    expect(seen).toHaveLength(1);
  });
});

describe('everything', () => {
  const page = (ids: string[], next?: string) => ({
    resourceType: 'Bundle',
    type: 'searchset',
    ...(next ? { link: [{ relation: 'next', url: next }] } : {}),
    entry: ids.map((id) => ({ fullUrl: `${base}/Condition/${id}`, resource: { resourceType: 'Condition', id } })),
  });

  it('sends _since, follows next links, and gives the first page Date as the next cursor', async () => {
    handler = (req, res) => {
      if (req.url?.includes('page=2')) {
        json(res, 200, page(['c3']), { date: 'Sat, 28 Nov 2026 08:00:09 GMT' });
      } else {
        json(res, 200, page(['c1', 'c2'], `${base}/Patient/p1/$everything?page=2`), { date: 'Sat, 28 Nov 2026 08:00:00 GMT' });
      }
    };
    const result = await client({ token: 't' }).everything('p1', '2026-11-01T00:00:00Z');
    expect(result).toMatchObject({ kind: 'ok', pages: 2, since: '2026-11-28T08:00:00.000Z' });
    expect(result.kind === 'ok' ? result.resources.map((r) => r.id) : []).toEqual(['c1', 'c2', 'c3']);
    expect(seen.map((s) => s.url)).toEqual(['/fhir/Patient/p1/$everything?_since=2026-11-01T00%3A00%3A00Z', '/fhir/Patient/p1/$everything?page=2']);
    expect(seen[1]?.headers.authorization).toBe('Bearer t');
  });

  it('without _since asks for everything', async () => {
    handler = (_req, res) => json(res, 200, page(['c1']));
    const result = await client().everything('p1');
    expect(seen[0]?.url).toBe('/fhir/Patient/p1/$everything');
    // node:http always sends Date, so a cursor always comes back from a real server.
    expect(result.kind === 'ok' && typeof result.since === 'string').toBe(true);
  });

  it('does not follow a next link to another origin (the bearer token would go with it)', async () => {
    handler = (_req, res) => json(res, 200, page(['c1'], 'http://evil.example/fhir/Patient/p1/$everything?page=2'));
    expect(await client({ token: 't' }).everything('p1')).toMatchObject({ kind: 'rejected', message: expect.stringMatching(/outside the FHIR base/) as unknown });
    expect(seen).toHaveLength(1);
  });

  it('passes a failure of any page through unchanged', async () => {
    handler = (req, res) => (req.url?.includes('page=2') ? json(res, 503, outcome({}), { 'retry-after': '2' }) : json(res, 200, page(['c1'], `${base}/Patient/p1/$everything?page=2`)));
    expect(await client().everything('p1')).toEqual({ kind: 'retry', reason: 'unavailable', status: 503, retryAfterMs: 2000 });
  });
});
