import { Client } from 'fhir-kit-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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

    const created = (await client.create({
      resourceType: 'Patient',
      body: {
        resourceType: 'Patient',
        identifier: [{ system: 'urn:oid:2.16.578.1.12.4.1.4.1', value: '15898010292' }],
        name: [{ family: 'Klientsen', given: ['Kåre'] }],
      },
    })) as { id: string; meta: { versionId: string } };
    expect(created.meta.versionId).toBe('1');

    const read = (await client.read({ resourceType: 'Patient', id: created.id })) as { name: { family: string }[] };
    expect(read.name[0]?.family).toBe('Klientsen');

    const updated = (await client.update({
      resourceType: 'Patient',
      id: created.id,
      body: { ...read, gender: 'male' },
      options: { headers: { 'If-Match': 'W/"1"' } },
    })) as { meta: { versionId: string } };
    expect(updated.meta.versionId).toBe('2');

    const version1 = (await client.vread({ resourceType: 'Patient', id: created.id, version: '1' })) as { gender?: string };
    expect(version1.gender).toBeUndefined();

    for (let i = 0; i < 5; i += 1) {
      await client.create({ resourceType: 'Observation', body: { resourceType: 'Observation', status: 'final', code: { text: 'side' }, subject: { reference: `Patient/${created.id}` } } });
    }
    const firstPage = (await client.search({ resourceType: 'Observation', searchParams: { patient: created.id, _count: '2' } })) as {
      total: number;
      entry: unknown[];
      link: { relation: string; url: string }[];
    };
    expect(firstPage.total).toBe(5);
    let pages = 1;
    let seen = firstPage.entry.length;
    let page: typeof firstPage | undefined = firstPage;
    while (page) {
      const next = client.nextPage({ bundle: page });
      page = next ? ((await next) as typeof firstPage) : undefined;
      if (page) {
        pages += 1;
        seen += page.entry.length;
      }
    }
    expect([pages, seen]).toEqual([3, 5]);

    const history = (await client.history({ resourceType: 'Patient', id: created.id })) as { entry: { resource: { meta: { versionId: string } } }[] };
    expect(history.entry.map((e) => e.resource.meta.versionId)).toEqual(['2', '1']);
    const typeHistory = (await client.history({ resourceType: 'Observation' })) as { entry: unknown[] };
    expect(typeHistory.entry).toHaveLength(5);
  });
});
