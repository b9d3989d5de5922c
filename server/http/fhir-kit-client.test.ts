import { Client } from 'fhir-kit-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The client types answers loosely; the test states what it expects of each. */
const expectShape = <T>(resource: unknown): T => resource as T;
import { startTestJournal, type TestJournal } from '../test-support/test-databases';

/**
 * A generic FHIR client nobody here wrote (Vermonster's fhir-kit-client) against our server: if it
 * can create, read, update, search and page history, the server speaks FHIR, not just our dialect.
 */
describe('a third-party FHIR client', () => {
  let journal: TestJournal;
  let client: Client;
  beforeAll(async () => {
    journal = await startTestJournal('pglite');
    client = new Client({ baseUrl: journal.url });
  });
  afterAll(async () => {
    await journal.close();
  });

  it('creates, reads, updates with If-Match, searches, pages and reads history', async () => {
    const metadata = await client.capabilityStatement();
    expect(metadata.resourceType).toBe('CapabilityStatement');

    const created = expectShape<{ id: string; meta: { versionId: string } }>(await client.create({
      resourceType: 'Patient',
      body: {
        resourceType: 'Patient',
        identifier: [{ system: 'urn:oid:2.16.578.1.12.4.1.4.1', value: '15898010292' }],
        name: [{ family: 'Klientsen', given: ['Kåre'] }],
      },
    }));
    expect(created.meta.versionId).toBe('1');

    const read = expectShape<{ name: { family: string }[] }>(await client.read({ resourceType: 'Patient', id: created.id }));
    expect(read.name[0]?.family).toBe('Klientsen');

    const updated = expectShape<{ meta: { versionId: string } }>(await client.update({
      resourceType: 'Patient',
      id: created.id,
      body: { resourceType: 'Patient', ...read, gender: 'male' },
      options: { headers: { 'If-Match': 'W/"1"' } },
    }));
    expect(updated.meta.versionId).toBe('2');

    const version1 = expectShape<{ gender?: string }>(await client.vread({ resourceType: 'Patient', id: created.id, version: '1' }));
    expect(version1.gender).toBeUndefined();

    for (let i = 0; i < 5; i += 1) {
      await client.create({ resourceType: 'Observation', body: { resourceType: 'Observation', status: 'final', code: { text: 'side' }, subject: { reference: `Patient/${created.id}` } } });
    }
    type Page = { resourceType: 'Bundle'; total: number; entry: unknown[]; link: { relation: string; url: string }[] };
    const firstPage = expectShape<Page>(await client.search({ resourceType: 'Observation', searchParams: { patient: created.id, _count: '2', _total: 'accurate' } }));
    expect(firstPage.total).toBe(5);
    let pages = 1;
    let seen = firstPage.entry.length;
    let page: Page | undefined = firstPage;
    while (page) {
      const next = client.nextPage({ bundle: page });
      page = next ? expectShape<Page>(await next) : undefined;
      if (page) {
        pages += 1;
        seen += page.entry.length;
      }
    }
    expect([pages, seen]).toEqual([3, 5]);

    const history = expectShape<{ entry: { resource: { meta: { versionId: string } } }[] }>(await client.history({ resourceType: 'Patient', id: created.id }));
    expect(history.entry.map((e) => e.resource.meta.versionId)).toEqual(['2', '1']);
    const typeHistory = expectShape<{ entry: unknown[] }>(await client.history({ resourceType: 'Observation' }));
    expect(typeHistory.entry).toHaveLength(5);
  });
});
