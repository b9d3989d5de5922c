// Declares the shape of the provided 'testPki'.
import type {} from '../../shared/test-support/test-pki.test-context';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createJournalServer } from '../journal-server';
import { fhir, openTestDatabase, startTestJournal, type TestJournal } from '../test-support/test-databases';

const expectHeaders = (headers: Headers, what: string): void => {
  expect(headers.get('cache-control'), what).toBe('no-store');
  expect(headers.get('x-content-type-options'), what).toBe('nosniff');
};

describe('every answer of the journal API: no-store, nosniff', () => {
  let journal: TestJournal;
  beforeAll(async () => {
    journal = await startTestJournal('pglite');
  });
  afterAll(async () => {
    await journal.close();
  });

  it('on reads, writes, searches, errors, malformed URLs and refused formats', async () => {
    const url = (path: string): string => `${journal.url}${path}`;
    const created = await fhir(url('/Patient'), { method: 'POST', body: { resourceType: 'Patient', name: [{ family: 'Hode' }] } });
    expectHeaders(created.headers, 'create');
    const id = created.body.id as string;
    expectHeaders((await fhir(url(`/Patient/${id}`))).headers, 'read');
    expectHeaders((await fhir(url('/Patient?name=hode'))).headers, 'search');
    expectHeaders((await fhir(url(`/Patient/${id}/$everything`))).headers, '$everything');
    expectHeaders((await fhir(url('/metadata'))).headers, 'metadata');
    expectHeaders((await fhir(url('/Patient/nope'))).headers, '404');
    expectHeaders((await fhir(url('/nowhere/at/all/here'))).headers, 'unknown endpoint');
    expectHeaders((await fhir(url('/Patient/%E0%A4%A'))).headers, 'malformed URL');
    expectHeaders((await fetch(url('/Patient'), { headers: { accept: 'text/html' } })).headers, '406');
    expectHeaders((await fhir(url('/Patient'), { method: 'POST', rawBody: '{' })).headers, 'malformed JSON');
  });

  it('on token answers (/auth/*)', async () => {
    const pki = inject('testPki');
    const der = (pem: string): Uint8Array => Uint8Array.from(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
    const { app, baseUrl } = await createJournalServer({
      database: await openTestDatabase('pglite'),
      version: '0.1.0',
      cardLogin: { trustedRoots: [der(pki.caCertPem)], crls: [der(pki.crlPem)] },
    });
    try {
      await app.listen({ port: 0, host: '127.0.0.1' });
      const base = baseUrl().replace(/\/fhir$/, '');
      const challenge = await fhir(`${base}/auth/challenge`, { method: 'POST', body: {} });
      expect(challenge.status).toBe(200);
      expectHeaders(challenge.headers, 'challenge');
      const token = await fhir(`${base}/auth/token`, { method: 'POST', body: { assertion: 'not.a.jwt' } });
      expectHeaders(token.headers, 'token refused');
      expectHeaders((await fhir(`${baseUrl()}/Patient`)).headers, '401');
    } finally {
      await app.close();
    }
  });
});
