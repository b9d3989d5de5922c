import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFaultProxy, type FaultProxy } from './fault-proxy';

/** The upstream: records every request it processed, answers /big with 1 MB, /slow never, else echoes a digest of the body. */
interface Processed {
  method: string;
  url: string;
  connection: string | undefined;
  bodyBytes: number;
  bodySha: string;
}
const BIG = Buffer.alloc(1024 * 1024);
for (let i = 0; i < BIG.length; i++) {
  BIG[i] = (i * 7919 + (i >> 8)) & 0xff;
}
const sha = (data: Buffer): string => createHash('sha256').update(data).digest('hex');

let upstream: Server;
let processed: Processed[];
let proxy: FaultProxy;

const record = (req: IncomingMessage, body: Buffer): void => {
  processed.push({ method: req.method ?? '', url: req.url ?? '', connection: req.headers.connection, bodyBytes: body.length, bodySha: sha(body) });
};

beforeAll(async () => {
  upstream = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      record(req, body);
      if (req.url === '/slow') {
        return;
      }
      if (req.url === '/big') {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(BIG.length) });
        res.end(BIG);
        return;
      }
      const answer = JSON.stringify({ resourceType: 'Patient', id: 'stored-1', bytes: body.length, sha: sha(body) });
      res.writeHead(req.method === 'POST' ? 201 : 200, { 'content-type': 'application/fhir+json' });
      res.end(answer);
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
});
afterAll(async () => {
  upstream.closeAllConnections();
  await new Promise((resolve) => upstream.close(resolve));
});
beforeEach(async () => {
  processed = [];
  proxy = await startFaultProxy({ target: { host: '127.0.0.1', port: (upstream.address() as AddressInfo).port } });
});
afterEach(async () => {
  await proxy.close();
});

/** The whole exchange, body included; a failure anywhere (connect, head, body) is `{ failed }`. */
const exchange = async (path: string, init: RequestInit = {}): Promise<{ status: number; headers: Headers; body: Buffer } | { failed: string }> => {
  try {
    const response = await fetch(`${proxy.url}${path}`, { ...init, signal: AbortSignal.timeout(5000) });
    return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
  } catch (error) {
    return { failed: error instanceof Error ? error.name : String(error) };
  }
};
const parses = (body: Buffer): boolean => {
  try {
    JSON.parse(body.toString('utf8'));
    return true;
  } catch {
    return false;
  }
};
const post = (path: string, body: string | Buffer) => exchange(path, { method: 'POST', body, headers: { 'content-type': 'application/fhir+json' } });

describe('pass-through', () => {
  it('keeps a 1 MB answer and a 1 MB request body intact', async () => {
    const big = await exchange('/big');
    expect('body' in big && big.body.equals(BIG)).toBe(true);

    const sent = await post('/echo', BIG);
    expect('body' in sent && sent.status).toBe(201);
    expect(processed.at(-1)).toMatchObject({ bodyBytes: BIG.length, bodySha: sha(BIG) });
    expect(proxy.stats()).toMatchObject({ connections: 2, passThrough: 2 });
  });

  it('makes every request its own connection (Connection: close both ways), so each draws its own fault', async () => {
    const first = await exchange('/a', { headers: { connection: 'keep-alive' } });
    await exchange('/b');
    expect(processed.map((p) => p.connection)).toEqual(['close', 'close']);
    expect('headers' in first && first.headers.get('connection')).toBe('close');
    expect(proxy.stats().connections).toBe(2);
  });
});

describe('faults the upstream never sees', () => {
  it('refuse resets the connection at once', async () => {
    proxy.setFaults({ refuse: 1 });
    expect(await exchange('/a')).toEqual({ failed: 'TypeError' });
    expect(processed).toHaveLength(0);
    expect(proxy.stats()).toMatchObject({ refuse: 1, passThrough: 0 });
  });

  it('error500 is answered by the proxy with an OperationOutcome', async () => {
    proxy.setFaults({ error500: 1 });
    const answer = await post('/Patient', '{"resourceType":"Patient"}');
    expect('status' in answer && answer.status).toBe(500);
    expect('body' in answer && JSON.parse(answer.body.toString())).toMatchObject({ resourceType: 'OperationOutcome' });
    expect(processed).toHaveLength(0);
    expect(proxy.stats().error500).toBe(1);
  });

  it('unavailable503 is answered by the proxy with Retry-After: 1, also for a large body', async () => {
    proxy.setFaults({ unavailable503: 1 });
    const answer = await post('/Patient', BIG);
    expect('status' in answer && answer.status).toBe(503);
    expect('headers' in answer && answer.headers.get('retry-after')).toBe('1');
    expect(processed).toHaveLength(0);
    expect(proxy.stats().unavailable503).toBe(1);
  });

  it('offline refuses everything until back online', async () => {
    proxy.setOnline(false);
    expect(await exchange('/a')).toEqual({ failed: 'TypeError' });
    expect(await post('/Patient', '{}')).toEqual({ failed: 'TypeError' });
    expect(processed).toHaveLength(0);
    expect(proxy.stats()).toMatchObject({ offline: 2, connections: 2 });
    proxy.setOnline(true);
    expect(await exchange('/a')).toMatchObject({ status: 200 });
  });
});

describe('resetMidResponse', () => {
  it('the upstream processed the POST, the client never sees the whole answer', async () => {
    proxy.setFaults({ resetMidResponse: 1 });
    const body = JSON.stringify({ resourceType: 'Patient', identifier: [{ system: 'urn:test', value: 'x-1' }] });
    const answer = await post('/Patient', body);
    // undici ends a chunked body cut by a reset without an error (Connection: close), so "never
    // saw the answer" means: failed, or got a body that is not the whole JSON.
    expect('failed' in answer || !parses(answer.body)).toBe(true);
    expect(processed).toEqual([expect.objectContaining({ method: 'POST', url: '/Patient', bodySha: sha(Buffer.from(body)) })]);
    expect(proxy.stats().resetMidResponse).toBe(1);
  });

  it('by default passes the head and part of the body: the status arrives, the body read fails', async () => {
    proxy.setFaults({ resetMidResponse: 1 });
    const response = await fetch(`${proxy.url}/big`, { signal: AbortSignal.timeout(5000) });
    expect(response.status).toBe(200);
    await expect(response.arrayBuffer()).rejects.toThrow();
  });

  it('resetAfterBytes 0 cuts before the head', async () => {
    proxy.setFaults({ resetMidResponse: 1, resetAfterBytes: 0 });
    await expect(fetch(`${proxy.url}/a`, { method: 'POST', body: '{}' })).rejects.toThrow();
    expect(processed).toHaveLength(1);
  });
});

describe('delay and the random source', () => {
  it('delay adds latency per chunk and keeps the body intact', async () => {
    proxy.setFaults({ delay: 1, delayMs: 100 });
    const started = Date.now();
    const answer = await exchange('/a');
    expect(Date.now() - started).toBeGreaterThanOrEqual(190); // at least one chunk each way
    expect('body' in answer && parses(answer.body)).toBe(true);

    proxy.setFaults({ delay: 1, delayMs: 2 });
    const big = await exchange('/big');
    expect('body' in big && big.body.equals(BIG)).toBe(true);
    expect(proxy.stats()).toMatchObject({ delay: 2, passThrough: 0 });
  });

  it('draws one number per connection from the injected random source', async () => {
    await proxy.close();
    const draws = [0.1, 0.6, 0.3];
    proxy = await startFaultProxy({
      target: { host: '127.0.0.1', port: (upstream.address() as AddressInfo).port },
      faults: { error500: 0.2, unavailable503: 0.2 },
      random: () => draws.shift() ?? 0.99,
    });
    const statuses = [];
    for (let i = 0; i < 3; i++) {
      const answer = await exchange('/a');
      statuses.push('status' in answer ? answer.status : answer.failed);
    }
    expect(statuses).toEqual([500, 200, 503]);
    expect(proxy.stats()).toMatchObject({ error500: 1, unavailable503: 1, passThrough: 1, connections: 3 });
  });

  it('refuses a plan whose probabilities are out of range or add up to more than 1', () => {
    expect(() => proxy.setFaults({ refuse: 0.6, error500: 0.6 })).toThrow(/more than 1/);
    expect(() => proxy.setFaults({ delay: -0.1 })).toThrow(/within/);
    expect(() => proxy.setFaults({ delay: Number.NaN })).toThrow(/within/);
  });
});

describe('close', () => {
  it('destroys open sockets on both sides and stops listening', async () => {
    const hanging = fetch(`${proxy.url}/slow`).then(
      () => 'answered',
      () => 'failed',
    );
    await waitFor(() => processed.some((p) => p.url === '/slow'));
    const upstreamSockets = await connectionCount(upstream);
    expect(upstreamSockets).toBeGreaterThan(0);

    const started = Date.now();
    await proxy.close();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(await hanging).toBe('failed');
    await waitFor(async () => (await connectionCount(upstream)) === 0);

    const refused = await new Promise<string>((resolve) => {
      const socket = connect(proxy.port, '127.0.0.1');
      socket.on('connect', () => resolve('connected'));
      socket.on('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });
});

const connectionCount = (server: Server): Promise<number> =>
  new Promise((resolve, reject) => server.getConnections((error, count) => (error ? reject(error) : resolve(count))));

const waitFor = async (condition: () => boolean | Promise<boolean>, timeoutMs = 2000): Promise<void> => {
  const until = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > until) {
      throw new Error('condition not met in time');
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};
