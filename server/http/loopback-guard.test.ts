// Declares the shape of the provided 'testPki'.
import type {} from '../../shared/test-support/test-pki.test-context';
import { request } from 'node:http';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createJournalServer } from '../journal-server';
import { openTestDatabase, startTestJournal, type TestJournal } from '../test-support/test-databases';
import { hostHeaderCount, isLoopbackBind, loopbackRefusal } from './loopback-guard';

describe('loopback guard rules', () => {
  const on = (host: string | undefined, extra: Partial<Parameters<typeof loopbackRefusal>[0]> = {}) =>
    loopbackRefusal({ rawHeaders: host === undefined ? [] : ['Host', host], host, localAddress: '127.0.0.1', localPort: 8080, ...extra });

  it('accepts the loopback names with the port', () => {
    for (const host of ['127.0.0.1:8080', 'localhost:8080', 'LOCALHOST:8080', '[::1]:8080']) {
      expect(on(host), host).toBeUndefined();
    }
    expect(on('localhost', { localPort: 80 })).toBeUndefined();
  });

  it('refuses other names, other ports, no port, a second Host and a non-loopback arrival', () => {
    for (const host of ['evil.example:8080', '127.0.0.1:8081', '127.0.0.1', 'localhost.evil.example:8080', '127.0.0.1:8080.evil']) {
      expect(on(host)?.status, host).toBe(421);
    }
    expect(on(undefined)?.status).toBe(400);
    expect(loopbackRefusal({ rawHeaders: ['Host', '127.0.0.1:8080', 'host', 'evil'], host: '127.0.0.1:8080', localAddress: '127.0.0.1', localPort: 8080 })?.status).toBe(400);
    expect(on('127.0.0.1:8080', { localAddress: '10.0.0.5' })?.status).toBe(421);
    expect(on('127.0.0.1:8080', { localAddress: '::ffff:127.0.0.1' })).toBeUndefined();
  });

  it('tells a loopback bind from others, and counts Host headers', () => {
    for (const host of ['127.0.0.1', '::1', '[::1]', 'localhost', '127.0.0.2']) {
      expect(isLoopbackBind(host), host).toBe(true);
    }
    for (const host of ['0.0.0.0', '::', '192.168.1.10', 'journal.example.no']) {
      expect(isLoopbackBind(host), host).toBe(false);
    }
    expect(hostHeaderCount(['Host', 'a', 'Accept', '*/*', 'HOST', 'b'])).toBe(2);
  });
});

/** A request with exactly the Host header given (fetch would not let us set it). */
const get = (base: string, path: string, host: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> =>
  new Promise((resolve, reject) => {
    const url = new URL(base);
    const req = request({ host: url.hostname, port: url.port, path, headers: { host, accept: 'application/fhir+json' } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });

const rawRequest = (base: string, bytes: string): Promise<string> =>
  new Promise((resolve) => {
    const url = new URL(base);
    const socket = connect(Number(url.port), url.hostname, () => socket.write(bytes));
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
    socket.on('close', () => resolve(answer));
    socket.on('error', () => resolve(answer));
    socket.setTimeout(2000, () => socket.destroy());
  });

describe('a journal without card login (anonymous)', () => {
  let journal: TestJournal;
  let port = '';
  beforeAll(async () => {
    journal = await startTestJournal('pglite');
    port = new URL(journal.url).port;
  });
  afterAll(async () => {
    await journal.close();
  });

  it('answers under 127.0.0.1, localhost and [::1] with its port', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]) {
      expect((await get(journal.url, '/fhir/Patient?_count=1', host)).status, host).toBe(200);
    }
  });

  it('refuses a DNS-rebinding page (another Host name) with 421 and an OperationOutcome, reading nothing', async () => {
    for (const host of [`evil.example:${port}`, 'evil.example', `127.0.0.1:${Number(port) + 1}`]) {
      const answer = await get(journal.url, '/fhir/Patient', host);
      expect(answer.status, host).toBe(421);
      expect(JSON.parse(answer.body)).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'security' }] });
      expect(answer.body).not.toContain('Bundle');
    }
  });

  it('refuses two Host headers with 400', async () => {
    const answer = await rawRequest(
      journal.url,
      `GET /fhir/Patient HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nHost: evil.example\r\nConnection: close\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1.1 400/);
    expect(answer).toContain('OperationOutcome');
  });
});

describe('a journal with card login', () => {
  it('does not apply the loopback guard: login protects it, and it may be reached by any name', async () => {
    const pki = inject('testPki');
    const der = (pem: string): Uint8Array => Uint8Array.from(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
    const { app, baseUrl } = await createJournalServer({
      database: await openTestDatabase('pglite'),
      version: '0.1.0',
      cardLogin: { trustedRoots: [der(pki.caCertPem)], crls: [der(pki.crlPem)] },
    });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const answer = await get(baseUrl(), '/fhir/Patient', 'journal.example.kommune.no');
      expect(answer.status).toBe(401);
    } finally {
      await app.close();
    }
  });
});
