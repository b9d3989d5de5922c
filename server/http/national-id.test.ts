import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FNR_SYSTEM } from '../fhir/identifiers';
import { nextSyntheticNationalId } from '../test-support/synthetic-ids';
import { databaseKinds, fhir, startTestJournal, type TestJournal } from '../test-support/test-databases';

/**
 * One record per person: every way of writing a national id that is already in the journal meets
 * the same unique index (409) or is refused as malformed (400); none makes a second Patient.
 */
const spellings = (nationalId: string) => {
  const system = fc.oneof(
    fc.constant(FNR_SYSTEM),
    fc.constant(FNR_SYSTEM.toUpperCase()),
    fc.constant(FNR_SYSTEM.replace('urn:oid:', '')),
    fc.constantFrom(' ', '\t').map((space) => `${FNR_SYSTEM}${space}`),
    fc.constantFrom(' ', '\t').map((space) => `${space}${FNR_SYSTEM}`),
    fc.constant(`${FNR_SYSTEM}.`),
  );
  const value = fc.oneof(
    fc.constant<unknown>(nationalId),
    fc.constant<unknown>(Number(nationalId)),
    fc.constant<unknown>(`${nationalId} `),
    fc.constant<unknown>(` ${nationalId}`),
    fc.constant<unknown>(`${nationalId.slice(0, 6)} ${nationalId.slice(6)}`),
  );
  const extras = fc.subarray([
    ['use', 'official'],
    ['type', { text: 'Fødselsnummer' }],
    ['period', { start: '2000-01-01' }],
    ['code', 'FNR'],
    ['coding', [{ code: 'NNNOR' }]],
    ['extension', [{ url: 'http://example.org/x', valueString: 'y' }]],
    ['assigner', { display: 'Skatteetaten' }],
  ] as [string, unknown][]);
  return fc
    .record({ system, value, extras, twice: fc.boolean(), otherFirst: fc.boolean() })
    .map(({ system: s, value: v, extras: e, twice, otherFirst }) => {
      const written = { system: s, value: v, ...Object.fromEntries(e) };
      const other = { system: 'urn:example:journal-number', value: `J-${Math.random().toString(36).slice(2)}` };
      return [...(otherFirst ? [other] : []), written, ...(twice ? [written] : []), ...(otherFirst ? [] : [other])];
    });
};

describe.each(databaseKinds)('one record per national id on %s', (kind) => {
  let journal: TestJournal;
  const people: string[] = [];
  beforeAll(async () => {
    journal = await startTestJournal(kind);
    for (let i = 0; i < 3; i += 1) {
      const nationalId = nextSyntheticNationalId();
      const created = await fhir(`${journal.url}/Patient`, {
        method: 'POST',
        body: { resourceType: 'Patient', identifier: [{ system: FNR_SYSTEM, value: nationalId }], name: [{ family: 'Ensen', given: ['Eva'] }] },
      });
      expect(created.status).toBe(201);
      people.push(nationalId);
    }
  });
  afterAll(async () => {
    await journal.close();
  });
  const patientsWith = async (nationalId: string): Promise<number> =>
    (await journal.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM resource WHERE resource_type = 'Patient' AND content::text LIKE $1`, [`%${nationalId.slice(1)}%`]))
      .rows[0]?.n ?? -1;

  it('answers 409 or 400 to every spelling of a national id already in the journal, by POST, conditional create, PUT and batch', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...people).chain((nationalId) => fc.tuple(fc.constant(nationalId), spellings(nationalId), fc.constantFrom('POST', 'conditional', 'PUT', 'batch'))),
        async ([nationalId, identifier, how]) => {
          const body = { resourceType: 'Patient', identifier, name: [{ family: 'Tvilling', given: ['To'] }] };
          let status: number;
          if (how === 'POST') {
            status = (await fhir(`${journal.url}/Patient`, { method: 'POST', body })).status;
          } else if (how === 'conditional') {
            // Asked under another criterion than the national id, so the existing record is not simply returned.
            const answer = await fhir(`${journal.url}/Patient`, { method: 'POST', body, headers: { 'if-none-exist': `family=Tvilling-${Math.random().toString(36).slice(2, 8)}` } });
            status = answer.status;
          } else if (how === 'PUT') {
            const id = `twin-${Math.random().toString(36).slice(2, 10)}`;
            status = (await fhir(`${journal.url}/Patient/${id}`, { method: 'PUT', body: { ...body, id } })).status;
          } else {
            const answer = await fhir(journal.url, { method: 'POST', body: { resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'POST', url: 'Patient' }, resource: body }] } });
            status = Number(/^\d+/.exec((answer.body.entry as { response: { status: string } }[] | undefined)?.[0]?.response.status ?? '')?.[0]);
          }
          expect([400, 409]).toContain(status);
          expect(await patientsWith(nationalId)).toBe(1);
        },
      ),
      { numRuns: kind === 'pglite' ? 60 : 100 },
    );
  });

  it('refuses 00000000000 under any spelling of the fødselsnummer system', async () => {
    for (const system of [FNR_SYSTEM, `${FNR_SYSTEM} `, FNR_SYSTEM.toUpperCase()]) {
      const answer = await fhir(`${journal.url}/Patient`, { method: 'POST', body: { resourceType: 'Patient', identifier: [{ system, value: '00000000000' }] } });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ resourceType: 'OperationOutcome' });
    }
    expect(await patientsWith('00000000000')).toBe(0);
  });

  it("still registers a new person written exactly, with an Identifier's usual properties", async () => {
    const answer = await fhir(`${journal.url}/Patient`, {
      method: 'POST',
      body: { resourceType: 'Patient', identifier: [{ use: 'official', system: FNR_SYSTEM, value: nextSyntheticNationalId(), period: { start: '1985-01-01' } }] },
    });
    expect(answer.status).toBe(201);
  });
});
