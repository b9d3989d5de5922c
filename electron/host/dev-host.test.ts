import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { WebSocket } from 'ws';
import { createCore, type Core } from '../core';
import { memoryLog } from '../core/test-support/memory-log';
import { startDevHost, type DevHost } from './dev-host';

const build = { name: 'Akson', version: '0.1.0', buildTime: '2026-11-28T08:00:00.000Z' };

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A plain HTTP request with full control over the path and headers (fetch would normalise them). */
const get = (origin: string, path: string, headers: Record<string, string> = {}): Promise<RawResponse> =>
  new Promise((resolve, reject) => {
    const url = new URL(origin);
    const req = request({ host: url.hostname, port: url.port, path, method: 'GET', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end();
  });

let workDir: string;
let rendererDir: string;
let core: Core;
let host: DevHost;

beforeEach(async () => {
  // A secret next to the renderer folder: what a path traversal would reach.
  workDir = mkdtempSync(join(tmpdir(), 'akson-host-'));
  rendererDir = join(workDir, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Akson</title>');
  writeFileSync(join(workDir, 'secret.txt'), 'not for the browser');
  core = createCore({ build, mode: 'dev-host', log: memoryLog().log, clockIntervalMs: 20 });
  host = await startDevHost({ core, rendererDir, log: memoryLog().log });
});

afterEach(async () => {
  await host.close();
  await core.dispose();
  rmSync(workDir, { recursive: true, force: true });
});

/** Writes raw bytes to the host and returns what it answered (or '' if it closed). */
const raw = (bytes: string): Promise<string> =>
  new Promise((resolve) => {
    const url = new URL(host.origin);
    const socket = connect(Number(url.port), url.hostname, () => socket.write(bytes));
    let answer = '';
    socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
    socket.on('close', () => resolve(answer));
    socket.on('error', () => resolve(answer));
    socket.setTimeout(2000, () => socket.destroy());
  });

const launchPath = (): string => new URL(host.launchUrl).pathname + new URL(host.launchUrl).search;

/** Redeems the launch link and returns the Cookie header a browser would send from then on. */
const login = async (): Promise<string> => {
  const res = await get(host.origin, launchPath());
  expect(res.status).toBe(303);
  const setCookie = String(res.headers['set-cookie']);
  return setCookie.split(';')[0] ?? '';
};

const openSocket = (cookie: string | undefined, origin = host.origin): Promise<WebSocket> =>
  new Promise((resolve, reject) => {
    const socket = new WebSocket(`${host.origin.replace('http', 'ws')}/contract`, {
      origin,
      headers: cookie ? { cookie } : {},
    });
    socket.once('open', () => resolve(socket));
    socket.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
    socket.once('error', reject);
  });

const nextMessage = (socket: WebSocket, type: 'result' | 'event'): Promise<Record<string, unknown>> =>
  new Promise((resolve) => {
    const onMessage = (data: Buffer): void => {
      const message = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
      if (message.type === type) {
        socket.off('message', onMessage);
        resolve(message);
      }
    };
    socket.on('message', onMessage);
  });

const closeCode = (socket: WebSocket): Promise<number> =>
  new Promise((resolve) => socket.once('close', (code: number) => resolve(code)));

describe('dev host: who may come in', () => {
  it('listens on 127.0.0.1 only', () => {
    expect(new URL(host.origin).hostname).toBe('127.0.0.1');
  });

  it('trades the launch token once for an HttpOnly SameSite=Strict session cookie', async () => {
    const first = await get(host.origin, launchPath());
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    expect(String(first.headers['set-cookie'])).toMatch(/^akson_session=[\w-]{43}; HttpOnly; SameSite=Strict; Path=\/$/);
    const second = await get(host.origin, launchPath());
    expect(second.status).toBe(403);
    expect(second.body).toContain('Lenken er allerede brukt');
  });

  it('refuses a wrong launch token and then still accepts the right one', async () => {
    expect((await get(host.origin, '/launch?token=guess')).status).toBe(403);
    expect((await get(host.origin, '/launch')).status).toBe(403);
    expect((await get(host.origin, launchPath())).status).toBe(303);
  });

  it('serves the renderer only with a session, and with the CSP', async () => {
    expect((await get(host.origin, '/')).status).toBe(401);
    const cookie = await login();
    const page = await get(host.origin, '/', { cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Akson</title>');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  it('refuses a request whose Host is not the loopback address (DNS rebinding)', async () => {
    const cookie = await login();
    const res = await get(host.origin, '/', { cookie, host: 'evil.example' });
    expect(res.status).toBe(421);
  });

  it('refuses a request with two Host headers, whichever comes first', async () => {
    const cookie = await login();
    const ours = new URL(host.origin).host;
    for (const [first, second] of [[ours, 'evil.example'], ['evil.example', ours], [ours, ours]]) {
      const answer = await raw(`GET / HTTP/1.1\r\nHost: ${first}\r\nHost: ${second}\r\nCookie: ${cookie}\r\nConnection: close\r\n\r\n`);
      expect(answer, `${first ?? ''} then ${second ?? ''}`).toMatch(/^HTTP\/1.1 400/);
    }
    const upgrade = await raw(
      `GET /contract HTTP/1.1\r\nHost: ${ours}\r\nHost: evil.example\r\nOrigin: ${host.origin}\r\nCookie: ${cookie}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    expect(upgrade).toMatch(/^HTTP\/1.1 400/);
    expect((await get(host.origin, '/', { cookie })).status).toBe(200);
  });

  it('does not serve files outside the renderer folder', async () => {
    const cookie = await login();
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/..%2fsecret.txt', '/%2e%2e%2fsecret.txt', '/..\\secret.txt']) {
      const res = await get(host.origin, path, { cookie });
      expect(res.status, path).toBe(404);
      expect(res.body, path).not.toContain('not for the browser');
    }
  });

  it('survives a request line that is not a URL, and a client that resets mid-upgrade', async () => {
    expect(await raw(`GET http://[ HTTP/1.1\r\nHost: ${new URL(host.origin).host}\r\n\r\n`)).toMatch(/^HTTP\/1.1 400/);
    for (let i = 0; i < 20; i += 1) {
      const url = new URL(host.origin);
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(`GET /contract HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`);
        socket.resetAndDestroy();
      });
      socket.on('error', () => undefined);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await get(host.origin, launchPath())).status).toBe(303);
  });

  it('refuses the contract socket without a session', async () => {
    await expect(openSocket(undefined)).rejects.toThrow('refused with 401');
  });

  it('refuses the contract socket from a foreign Origin even with a session cookie', async () => {
    const cookie = await login();
    await expect(openSocket(cookie, 'http://evil.example')).rejects.toThrow('refused with 403');
    await expect(openSocket(cookie, 'http://127.0.0.1:1')).rejects.toThrow('refused with 403');
  });

  it('refuses the contract socket under a foreign Host name (DNS rebinding)', async () => {
    const cookie = await login();
    const answer = await raw(
      `GET /contract HTTP/1.1\r\nHost: evil.example\r\nOrigin: ${host.origin}\r\nCookie: ${cookie}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1.1 403/);
  });
});

describe('dev host: the contract over the socket', () => {
  it("answers a call with core's own dispatcher", async () => {
    const dispatch = vi.spyOn(core, 'dispatch');
    const socket = await openSocket(await login());
    const answer = nextMessage(socket, 'result');
    socket.send(JSON.stringify({ type: 'call', id: 7, call: 'app.info', input: {} }));
    const message = await answer;
    expect(dispatch).toHaveBeenCalledExactlyOnceWith('app.info', {});
    expect(message).toEqual({ type: 'result', id: 7, result: await (dispatch.mock.results[0]?.value as Promise<unknown>) });
    expect(message).toMatchObject({ result: { ok: true, value: { mode: 'dev-host', version: '0.1.0' } } });
    socket.close();
  });

  it('drops a client that sends an oversized frame and keeps serving others', async () => {
    const cookie = await login();
    const greedy = await openSocket(cookie);
    const closed = closeCode(greedy);
    greedy.send('x'.repeat(1024 * 1024 + 1));
    expect(await closed).toBe(1009);
    const polite = await openSocket(cookie);
    const answer = nextMessage(polite, 'result');
    polite.send(JSON.stringify({ type: 'call', id: 1, call: 'app.info', input: {} }));
    expect(await answer).toMatchObject({ result: { ok: true } });
    polite.close();
  });

  it('answers an unknown call and a malformed input with their error codes', async () => {
    const socket = await openSocket(await login());
    let answer = nextMessage(socket, 'result');
    socket.send(JSON.stringify({ type: 'call', id: 1, call: 'fs.readFile', input: {} }));
    expect(await answer).toMatchObject({ id: 1, result: { ok: false, error: { code: 'UNKNOWN_CALL' } } });
    answer = nextMessage(socket, 'result');
    socket.send(JSON.stringify({ type: 'call', id: 2, call: 'app.info', input: { extra: true } }));
    expect(await answer).toMatchObject({ id: 2, result: { ok: false, error: { code: 'INVALID_INPUT' } } });
    answer = nextMessage(socket, 'result');
    socket.send(JSON.stringify({ type: 'call', id: 3, input: {} }));
    expect(await answer).toMatchObject({ id: 3, result: { ok: false, error: { code: 'INVALID_INPUT' } } });
    socket.close();
  });

  it('closes the socket on a frame that is not JSON, and on one without an id', async () => {
    const cookie = await login();
    const first = await openSocket(cookie);
    const firstClosed = closeCode(first);
    first.send('{not json');
    expect(await firstClosed).toBe(1007);
    const second = await openSocket(cookie);
    const secondClosed = closeCode(second);
    second.send(JSON.stringify({ type: 'call', call: 'app.info' }));
    expect(await secondClosed).toBe(1008);
  });

  it('pushes core events to the socket', async () => {
    const socket = await openSocket(await login());
    const event = await nextMessage(socket, 'event');
    expect(event).toMatchObject({ type: 'event', event: 'app.clock', payload: { seq: expect.any(Number) as number } });
    socket.close();
  });

  it('stops sending events to a socket once it has closed', async () => {
    const socket = await openSocket(await login());
    const before = core.events.listenerCount;
    const closed = closeCode(socket);
    socket.close();
    await closed;
    await expect.poll(() => core.events.listenerCount).toBe(before - 1);
  });
});
