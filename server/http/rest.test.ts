import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextSyntheticNationalId as freshId } from '../test-support/synthetic-ids';
import { databaseKinds, fhir, startTestJournal, type TestJournal } from '../test-support/test-databases';

/** A synthetic national id (month + 80) used only by the search tests, so their counts are exact. */
const SOLE = '01868740139';

const patient = (nationalId: string, family: string, given: string, extra: Record<string, unknown> = {}) => ({
  resourceType: 'Patient',
  identifier: [{ system: 'urn:oid:2.16.578.1.12.4.1.4.1', value: nationalId }],
  name: [{ family, given: [given] }],
  gender: 'female',
  birthDate: '1980-09-15',
  ...extra,
});

describe.each(databaseKinds)('FHIR REST on %s', (kind) => {
  let journal: TestJournal;
  beforeAll(async () => {
    journal = await startTestJournal(kind);
  });
  afterAll(async () => {
    await journal.close();
  });
  const url = (path: string): string => `${journal.url}${path}`;

  describe('create, read, vread', () => {
    it('creates with a server id, version 1, ETag, Last-Modified and Location', async () => {
      const created = await fhir(url('/Patient'), { method: 'POST', body: patient(freshId(), 'Nordmann', 'Kari') });
      expect(created.status).toBe(201);
      const id = created.body.id as string;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(created.body.meta).toMatchObject({ versionId: '1' });
      expect(created.headers.get('etag')).toBe('W/"1"');
      expect(created.headers.get('location')).toBe(url(`/Patient/${id}/_history/1`));
      expect(new Date(created.headers.get('last-modified') ?? '').getTime()).not.toBeNaN();
      expect(created.headers.get('content-type')).toMatch(/^application\/fhir\+json/);

      const read = await fhir(url(`/Patient/${id}`));
      expect(read.status).toBe(200);
      expect(read.body).toEqual(created.body);
      const vread = await fhir(url(`/Patient/${id}/_history/1`));
      expect(vread.body).toEqual(created.body);
    });

    it('ignores a client id on create and answers 404 OperationOutcome for an unknown id', async () => {
      const created = await fhir(url('/Patient'), { method: 'POST', body: { ...patient(freshId(), 'Hansen', 'Ola'), id: 'chosen-by-client' } });
      expect(created.body.id).not.toBe('chosen-by-client');
      const missing = await fhir(url('/Patient/does-not-exist'));
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-found' }] });
    });
  });

  describe('bad input gets a precise OperationOutcome and stores nothing', () => {
    it.each([
      ['malformed JSON', { rawBody: '{"resourceType": "Patient",' }, 400, 'structure'],
      ['a body that is not an object', { body: ['Patient'] }, 400, 'structure'],
      ['a missing resourceType', { body: { name: [] } }, 400, 'required'],
      ['a resourceType that differs from the URL', { body: { resourceType: 'Practitioner' } }, 400, 'invalid'],
      ['a fødselsnummer with wrong check digits', { body: patient('15898010021', 'Feil', 'Fnr') }, 400, 'value'],
      ['a fødselsnummer with an impossible date', { body: patient('32898010020', 'Feil', 'Dato') }, 400, 'value'],
    ])('refuses %s', async (_name, request, status, code) => {
      const before = await fhir(url('/Patient?_total=accurate&_count=0'));
      const answer = await fhir(url('/Patient'), { method: 'POST', ...request });
      expect(answer.status).toBe(status);
      expect(answer.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code }] });
      const after = await fhir(url('/Patient?_total=accurate&_count=0'));
      expect(after.body.total).toBe(before.body.total);
    });

    it('refuses a second patient with the same national id', async () => {
      const nationalId = freshId();
      expect((await fhir(url('/Patient'), { method: 'POST', body: patient(nationalId, 'Første', 'En') })).status).toBe(201);
      const second = await fhir(url('/Patient'), { method: 'POST', body: patient(nationalId, 'Andre', 'To') });
      expect(second.status).toBe(409);
      expect(second.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'duplicate' }] });
    });

    it('names the field with the invalid national id', async () => {
      const answer = await fhir(url('/Patient'), { method: 'POST', body: patient('15898010021', 'Feil', 'Fnr') });
      expect(answer.body).toMatchObject({ issue: [{ expression: ['Patient.identifier[0].value'] }] });
      expect(JSON.stringify(answer.body)).toContain('fødselsnummer');
    });

    it('refuses an unknown resource type and a content type that is not FHIR JSON', async () => {
      expect((await fhir(url('/Spaceship'), { method: 'POST', body: { resourceType: 'Spaceship' } })).status).toBe(400);
      const xml = await fetch(url('/Patient'), { method: 'POST', headers: { 'content-type': 'application/xml' }, body: '<Patient/>' });
      expect(xml.status).toBe(415);
    });

    it('never deletes: DELETE is 405 and the resource is still there', async () => {
      const created = await fhir(url('/Patient'), { method: 'POST', body: patient(freshId(), 'Slett', 'Ikke') });
      const id = created.body.id as string;
      const deleted = await fhir(url(`/Patient/${id}`), { method: 'DELETE' });
      expect(deleted.status).toBe(405);
      expect(deleted.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'not-supported' }] });
      expect((await fhir(url(`/Patient/${id}`))).status).toBe(200);
    });
  });

  describe('update with If-Match', () => {
    const createOne = async (): Promise<{ id: string; body: Record<string, unknown> }> => {
      const created = await fhir(url('/Patient'), { method: 'POST', body: patient(freshId(), 'Berg', 'Bjørn') });
      return { id: created.body.id as string, body: created.body };
    };

    it('makes version 2 with the current ETag and keeps version 1 readable', async () => {
      const { id, body } = await createOne();
      const updated = await fhir(url(`/Patient/${id}`), {
        method: 'PUT',
        body: { ...body, gender: 'male' },
        headers: { 'if-match': 'W/"1"' },
      });
      expect(updated.status).toBe(200);
      expect(updated.headers.get('etag')).toBe('W/"2"');
      expect(updated.body).toMatchObject({ gender: 'male', meta: { versionId: '2' } });
      expect((await fhir(url(`/Patient/${id}/_history/1`))).body).toMatchObject({ gender: 'female' });
    });

    it('refuses a stale version with 412 and a missing If-Match with 428', async () => {
      const { id, body } = await createOne();
      await fhir(url(`/Patient/${id}`), { method: 'PUT', body, headers: { 'if-match': 'W/"1"' } });
      const stale = await fhir(url(`/Patient/${id}`), { method: 'PUT', body, headers: { 'if-match': 'W/"1"' } });
      expect(stale.status).toBe(412);
      expect(stale.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'conflict' }] });
      const blind = await fhir(url(`/Patient/${id}`), { method: 'PUT', body });
      expect(blind.status).toBe(428);
    });

    it('lets exactly one of two concurrent updates from the same version win', async () => {
      const { id, body } = await createOne();
      const results = await Promise.all(
        ['male', 'other'].map((gender) =>
          fhir(url(`/Patient/${id}`), { method: 'PUT', body: { ...body, gender }, headers: { 'if-match': 'W/"1"' } }),
        ),
      );
      expect(results.map((r) => r.status).sort()).toEqual([200, 412]);
      const history = await fhir(url(`/Patient/${id}/_history`));
      expect((history.body.entry as unknown[]).length).toBe(2);
    });

    it('creates with the client id when PUT names a new resource', async () => {
      const created = await fhir(url('/Patient/client-chosen-1'), { method: 'PUT', body: { ...patient(freshId(), 'Ny', 'Put'), id: 'client-chosen-1' } });
      expect(created.status).toBe(201);
      expect(created.body.id).toBe('client-chosen-1');
    });

    it('refuses an id in the body that differs from the URL', async () => {
      const { id, body } = await createOne();
      const answer = await fhir(url(`/Patient/${id}`), { method: 'PUT', body: { ...body, id: 'other' }, headers: { 'if-match': 'W/"1"' } });
      expect(answer.status).toBe(400);
    });
  });

  describe('conditional create', () => {
    it('creates exactly one resource for twenty concurrent identical requests', async () => {
      const nationalId = freshId();
      const identifier = `urn:oid:2.16.578.1.12.4.1.4.1|${nationalId}`;
      const body = patient(nationalId, 'Samtidig', 'Tjue');
      const answers = await Promise.all(
        Array.from({ length: 20 }, () =>
          fhir(url('/Patient'), { method: 'POST', body, headers: { 'if-none-exist': `family=samtidig&identifier=${identifier}` } }),
        ),
      );
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(1);
      expect(statuses.filter((s) => s === 200)).toHaveLength(19);
      expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
      const search = await fhir(url(`/Patient?family=samtidig&identifier=${encodeURIComponent(identifier)}`));
      expect(search.body.total).toBe(1);
    });
  });

  describe('history', () => {
    it('pages _since newest first and returns every version after the cursor exactly once', async () => {
      const since = new Date();
      await new Promise((resolve) => setTimeout(resolve, 5));
      const ids: string[] = [];
      for (let i = 0; i < 7; i += 1) {
        const created = await fhir(url('/Observation'), {
          method: 'POST',
          body: { resourceType: 'Observation', status: 'final', code: { text: `m${i}` } },
        });
        ids.push(created.body.id as string);
      }
      // Versions 2 of three of them, so the history holds 10 entries after the cursor.
      for (const id of ids.slice(0, 3)) {
        const current = await fhir(url(`/Observation/${id}`));
        await fhir(url(`/Observation/${id}`), { method: 'PUT', body: { ...current.body, status: 'amended' }, headers: { 'if-match': 'W/"1"' } });
      }
      const seen: string[] = [];
      let next: string | undefined = url(`/Observation/_history?_since=${since.toISOString()}&_count=3`);
      let pages = 0;
      while (next) {
        const page = await fhir(next);
        expect(page.body).toMatchObject({ resourceType: 'Bundle', type: 'history' });
        const entries = page.body.entry as { resource: { id: string; meta: { versionId: string; lastUpdated: string } } }[];
        for (const entry of entries) {
          seen.push(`${entry.resource.id}/${entry.resource.meta.versionId}`);
        }
        const times = entries.map((entry) => Date.parse(entry.resource.meta.lastUpdated));
        expect(times, 'newest first').toEqual([...times].sort((a, b) => b - a));
        expect(Math.min(...times)).toBeGreaterThanOrEqual(since.getTime());
        // A write between pages must not shift or repeat what the cursor already covered.
        if (pages === 0) {
          await fhir(url('/Observation'), { method: 'POST', body: { resourceType: 'Observation', status: 'final', code: { text: 'late' } } });
        }
        next = (page.body.link as { relation: string; url: string }[]).find((l) => l.relation === 'next')?.url;
        pages += 1;
      }
      const expected = [...ids.map((id) => `${id}/1`), ...ids.slice(0, 3).map((id) => `${id}/2`)];
      expect(seen.filter((entry) => expected.includes(entry)).sort()).toEqual([...expected].sort());
      expect(new Set(seen).size).toBe(seen.length);
      expect(pages).toBe(4);
    });

    it('answers instance, type and system history', async () => {
      const created = await fhir(url('/Condition'), { method: 'POST', body: { resourceType: 'Condition', code: { text: 'Hoste' } } });
      const id = created.body.id as string;
      expect(((await fhir(url(`/Condition/${id}/_history`))).body.entry as unknown[]).length).toBe(1);
      expect(((await fhir(url('/Condition/_history'))).body.entry as unknown[]).length).toBeGreaterThanOrEqual(1);
      expect(((await fhir(url('/_history?_count=5'))).body.entry as unknown[]).length).toBe(5);
      expect((await fhir(url('/_history?_since=yesterday'))).status).toBe(400);
      expect((await fhir(url('/_history?_since=2026-11-28T08:00:00'))).status).toBe(400);
      expect((await fhir(url('/Practitioner/no-such-id/_history'))).status).toBe(404);
      expect((await fhir(url('/_history?foo=1'))).status).toBe(400);
    });
  });

  describe('transaction and batch', () => {
    it('stores every entry with urn:uuid references rewritten, and answers per entry', async () => {
      const bundle = {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            fullUrl: 'urn:uuid:8f0c4a6e-0000-4000-8000-000000000002',
            resource: { resourceType: 'Condition', subject: { reference: 'urn:uuid:8f0c4a6e-0000-4000-8000-000000000001' }, code: { text: 'x' } },
            request: { method: 'POST', url: 'Condition' },
          },
          {
            fullUrl: 'urn:uuid:8f0c4a6e-0000-4000-8000-000000000001',
            resource: patient(freshId(), 'Transaksjon', 'Tove'),
            request: { method: 'POST', url: 'Patient' },
          },
        ],
      };
      const answer = await fhir(url('/'), { method: 'POST', body: bundle });
      expect(answer.status).toBe(200);
      expect(answer.body.type).toBe('transaction-response');
      const [condition, created] = answer.body.entry as { resource: { id: string; subject?: { reference: string } }; response: { status: string; location: string; etag: string } }[];
      expect(created?.response).toMatchObject({ status: '201 Created', etag: 'W/"1"' });
      expect(created?.response.location).toMatch(/^Patient\/[0-9a-f-]{36}\/_history\/1$/);
      expect(condition?.resource.subject?.reference).toBe(`Patient/${created?.resource.id ?? ''}`);
    });

    it('lets an entry refer to a conditional create that comes later in the bundle', async () => {
      const bundle = {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            resource: { resourceType: 'Observation', status: 'final', code: { text: 'before' }, subject: { reference: 'urn:uuid:8f0c4a6e-0000-4000-8000-0000000000aa' } },
            request: { method: 'POST', url: 'Observation' },
          },
          {
            fullUrl: 'urn:uuid:8f0c4a6e-0000-4000-8000-0000000000aa',
            resource: patient(freshId(), 'Senere', 'Betinget'),
            request: { method: 'POST', url: 'Patient', ifNoneExist: 'family=senere' },
          },
        ],
      };
      const answer = await fhir(url('/'), { method: 'POST', body: bundle });
      expect(answer.status).toBe(200);
      const [observation, created] = answer.body.entry as { resource: { id: string; subject?: { reference: string } } }[];
      expect(observation?.resource.subject?.reference).toBe(`Patient/${created?.resource.id ?? ''}`);
    });

    it('stores nothing when one entry is bad', async () => {
      const before = (await fhir(url('/Patient?family=alleelleringe&_total=accurate'))).body.total;
      const bundle = {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          { resource: patient(freshId(), 'AlleEllerIngen', 'En'), request: { method: 'POST', url: 'Patient' } },
          { resource: patient('15898010021', 'AlleEllerIngen', 'To'), request: { method: 'POST', url: 'Patient' } },
        ],
      };
      const answer = await fhir(url('/'), { method: 'POST', body: bundle });
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.body)).toContain('Bundle.entry[1]');
      expect((await fhir(url('/Patient?family=alleelleringe&_total=accurate'))).body.total).toBe(before);
    });

    it('refuses a reference to a resource that does not exist, storing nothing', async () => {
      const bundle = {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: [
          {
            resource: { resourceType: 'Observation', status: 'final', code: { coding: [{ system: 'urn:test', code: 'orphan-check' }] } },
            request: { method: 'POST', url: 'Observation' },
          },
          {
            resource: { resourceType: 'Condition', subject: { reference: 'Patient/no-such-patient' }, code: { text: 'x' } },
            request: { method: 'POST', url: 'Condition' },
          },
        ],
      };
      const answer = await fhir(url('/'), { method: 'POST', body: bundle });
      expect(answer.status).toBe(400);
      expect(JSON.stringify(answer.body)).toContain('Patient/no-such-patient');
      const search = await fhir(url('/Observation?code=urn:test|orphan-check'));
      expect(search.body.total).toBe(0);
      // The same entry alone is stored and found: the check above can see a stored one.
      await fhir(url('/Observation'), { method: 'POST', body: bundle.entry[0]?.resource });
      expect((await fhir(url('/Observation?code=urn:test|orphan-check'))).body.total).toBe(1);
    });

    it('runs batch entries independently', async () => {
      const bundle = {
        resourceType: 'Bundle',
        type: 'batch',
        entry: [
          { resource: patient(freshId(), 'Batch', 'God'), request: { method: 'POST', url: 'Patient' } },
          { resource: patient('15898010021', 'Batch', 'Feil'), request: { method: 'POST', url: 'Patient' } },
          { request: { method: 'DELETE', url: 'Patient/x' } },
        ],
      };
      const answer = await fhir(url('/'), { method: 'POST', body: bundle });
      const statuses = (answer.body.entry as { response: { status: string } }[]).map((e) => e.response.status);
      expect(statuses).toEqual(['201 Created', '400', '405']);
    });

    it('undoes only a batch entry that fails half-way (a duplicate national id), and goes on with the next in the same commit', async () => {
      const taken = freshId();
      expect((await fhir(url('/Patient'), { method: 'POST', body: patient(taken, 'Først', 'Her') })).status).toBe(201);
      const after = freshId();
      const bundle = {
        resourceType: 'Bundle',
        type: 'batch',
        entry: [
          { resource: patient(taken, 'Dobbel', 'Ident'), request: { method: 'POST', url: 'Patient' } },
          { resource: patient(after, 'Etter', 'Feilen'), request: { method: 'POST', url: 'Patient' } },
        ],
      };
      const answer = await fhir(url('/'), { method: 'POST', body: bundle });
      const statuses = (answer.body.entry as { response: { status: string } }[]).map((e) => e.response.status);
      expect(statuses[0]).toMatch(/^4\d\d/);
      expect(statuses[1]).toBe('201 Created');
      const withTaken = await fhir(url(`/Patient?identifier=${encodeURIComponent(`urn:oid:2.16.578.1.12.4.1.4.1|${taken}`)}`));
      expect(withTaken.body.total).toBe(1);
      expect((withTaken.body.entry as { resource: { name: { family: string }[] } }[])[0]?.resource.name[0]?.family).toBe('Først');
      expect((await fhir(url(`/Patient?identifier=${encodeURIComponent(`urn:oid:2.16.578.1.12.4.1.4.1|${after}`)}`))).body.total).toBe(1);
    });
  });

  describe('search', () => {
    let kariId = '';
    beforeAll(async () => {
      const kari = await fhir(url('/Patient'), {
        method: 'POST',
        body: patient(SOLE, 'Ødegårdsløkken', 'Bjørnhild', { birthDate: '1980-09-15', generalPractitioner: [{ reference: 'Practitioner/gp-1' }] }),
      });
      kariId = kari.body.id as string;
      for (const [code, date] of [['T90', '2020-03-01'], ['K86', '2023-06-10']] as const) {
        await fhir(url('/Condition'), {
          method: 'POST',
          body: {
            resourceType: 'Condition',
            subject: { reference: `Patient/${kariId}` },
            code: { coding: [{ system: 'urn:oid:2.16.578.1.12.4.1.1.7170', code }] },
            category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item' }] }],
            recordedDate: date,
          },
        });
      }
    });

    it('finds a patient by name prefix, case- and accent-insensitively', async () => {
      for (const query of ['bjornh', 'BJØRNH', 'odegardsl', 'Ødegårdsløkken']) {
        const answer = await fhir(url(`/Patient?name=${encodeURIComponent(query)}`));
        expect((answer.body.entry as { resource: { id: string } }[]).map((e) => e.resource.id), query).toContain(kariId);
      }
      const none = await fhir(url('/Patient?name=xyzzy'));
      expect(none.body.total).toBe(0);
    });

    it('finds by identifier, birthdate prefixes and general practitioner', async () => {
      const byId = await fhir(url(`/Patient?identifier=urn:oid:2.16.578.1.12.4.1.4.1|${SOLE}`));
      expect(byId.body.total).toBe(1);
      expect((await fhir(url('/Patient?birthdate=ge1980-09-15&name=bjornh'))).body.total).toBe(1);
      expect((await fhir(url('/Patient?birthdate=lt1980-09-15&name=bjornh'))).body.total).toBe(0);
      expect((await fhir(url('/Patient?birthdate=1980-09&name=bjornh'))).body.total).toBe(1);
      expect((await fhir(url('/Patient?general-practitioner=Practitioner/gp-1'))).body.total).toBe(1);
    });

    it('finds a patient compartment by patient and subject, with code, category and date', async () => {
      expect((await fhir(url(`/Condition?patient=${kariId}`))).body.total).toBe(2);
      expect((await fhir(url(`/Condition?subject=Patient/${kariId}&code=T90`))).body.total).toBe(1);
      expect((await fhir(url(`/Condition?patient=${kariId}&code=urn:oid:2.16.578.1.12.4.1.1.7170|K86,T90`))).body.total).toBe(2);
      expect((await fhir(url(`/Condition?patient=${kariId}&category=problem-list-item&recorded-date=ge2023-01-01`))).body.total).toBe(1);
      expect((await fhir(url(`/Condition?patient=${kariId}&_lastUpdated=gt2000-01-01`))).body.total).toBe(2);
    });

    it('sorts, pages with _count and includes what the chart needs', async () => {
      const sorted = await fhir(url(`/Condition?patient=${kariId}&_sort=-recorded-date&_count=1&_include=Condition:subject`));
      const entries = sorted.body.entry as { resource: { resourceType: string; recordedDate?: string }; search: { mode: string } }[];
      expect(entries.filter((e) => e.search.mode === 'match').map((e) => e.resource.recordedDate)).toEqual(['2023-06-10']);
      expect(entries.filter((e) => e.search.mode === 'include').map((e) => e.resource.resourceType)).toEqual(['Patient']);
      const next = (sorted.body.link as { relation: string; url: string }[]).find((l) => l.relation === 'next')?.url;
      expect(next).toBeDefined();
      const second = await fhir(next ?? '');
      expect((second.body.entry as { resource: { recordedDate?: string }; search: { mode: string } }[]).filter((e) => e.search.mode === 'match').map((e) => e.resource.recordedDate)).toEqual(['2020-03-01']);
    });

    it.each([
      ['an unknown parameter', '/Patient?shoesize=42'],
      ['an unsupported modifier', '/Patient?name:contains=bj'],
      ['a malformed date', '/Patient?birthdate=ge15.09.1980'],
      ['a reference to the wrong type', '/Condition?patient=Practitioner/1'],
      ['a _count out of range', '/Patient?_count=5000'],
      ['an unsupported _include', '/Patient?_include=Patient:name'],
    ])('refuses %s with 400 rather than a wrong answer', async (_name, path) => {
      const answer = await fhir(url(path));
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ resourceType: 'OperationOutcome' });
    });

    it('answers $everything for a patient, and only what changed with _since', async () => {
      const all = await fhir(url(`/Patient/${kariId}/$everything`));
      const types = (all.body.entry as { resource: { resourceType: string } }[]).map((e) => e.resource.resourceType).sort();
      expect(types).toEqual(['Condition', 'Condition', 'Patient']);
      const later = new Date(Date.now() + 60_000).toISOString();
      const none = await fhir(url(`/Patient/${kariId}/$everything?_since=${encodeURIComponent(later)}`));
      expect(none.body.entry).toEqual([]);
    });
  });

  describe('edges', () => {
    it('keeps an escaped | inside a token code', async () => {
      await fhir(url('/Observation'), { method: 'POST', body: { resourceType: 'Observation', status: 'final', code: { coding: [{ code: 'a|b' }] } } });
      expect((await fhir(url(`/Observation?code=${encodeURIComponent('a\\|b')}`))).body.total).toBe(1);
      expect((await fhir(url(`/Observation?code=${encodeURIComponent('a|b')}`))).body.total).toBe(0);
    });

    it('reads a dateTime search value at the precision it is written', async () => {
      const created = await fhir(url('/Observation'), {
        method: 'POST',
        body: { resourceType: 'Observation', status: 'final', code: { text: 'precise' }, effectiveDateTime: '2024-05-01T10:15:30.250Z' },
      });
      const id = created.body.id as string;
      for (const value of ['2024-05-01T10:15:30Z', '2024-05-01T10:15Z', '2024-05-01']) {
        const found = await fhir(url(`/Observation?_id=${id}&date=${encodeURIComponent(value)}`));
        expect(found.body.total, value).toBe(1);
      }
      expect((await fhir(url(`/Observation?_id=${id}&date=${encodeURIComponent('2024-05-01T10:15:31Z')}`))).body.total).toBe(0);
    });

    it('keeps a D-number out of the fødselsnummer system', async () => {
      const dNumber = await fhir(url('/Patient'), { method: 'POST', body: patient('41018012345', 'D', 'Nummer') });
      expect(dNumber.status).toBe(400);
    });

    it('gives no next link for _count=0, only the total when asked', async () => {
      const answer = await fhir(url('/Patient?_count=0&_total=accurate'));
      expect(answer.body.total).toBeGreaterThan(0);
      expect((answer.body.link as { relation: string }[]).map((l) => l.relation)).toEqual(['self']);
    });

    it('refuses to write AuditEvents, to delete a type, and to PATCH', async () => {
      expect((await fhir(url('/AuditEvent'), { method: 'POST', body: { resourceType: 'AuditEvent' } })).status).toBe(405);
      expect((await fhir(url('/Patient?name=x'), { method: 'DELETE' })).status).toBe(405);
      expect((await fhir(url('/Patient/x'), { method: 'PATCH', body: [] })).status).toBe(405);
    });

    it('answers a malformed URL, too-deep JSON and too many values with an OperationOutcome', async () => {
      const badEncoding = await fhir(url('/Patient/%E0%A4%A'));
      expect(badEncoding.status).toBe(400);
      expect(badEncoding.body.resourceType).toBe('OperationOutcome');
      let deep: Record<string, unknown> = {};
      for (let i = 0; i < 100; i += 1) {
        deep = { extension: [deep] };
      }
      const tooDeep = await fhir(url('/Observation'), { method: 'POST', body: { resourceType: 'Observation', status: 'final', code: deep } });
      expect(tooDeep.status).toBe(400);
      const many = Array.from({ length: 101 }, (_, i) => `id${i}`).join(',');
      expect((await fhir(url(`/Patient?_id=${many}`))).status).toBe(400);
    });
  });

  describe('metadata', () => {
    it('tells the truth: types, interactions without delete, and the search parameters that work', async () => {
      const answer = await fhir(url('/metadata'));
      expect(answer.body).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1' });
      const rest = (answer.body.rest as { resource: { type: string; interaction: { code: string }[]; searchParam: { name: string }[] }[] }[])[0];
      const patientEntry = rest?.resource.find((r) => r.type === 'Patient');
      expect(patientEntry?.interaction.map((i) => i.code)).not.toContain('delete');
      expect(patientEntry?.searchParam.map((p) => p.name)).toEqual(expect.arrayContaining(['identifier', 'name', 'birthdate', 'general-practitioner']));
      expect(rest?.resource.map((r) => r.type)).toHaveLength(21);
    });
  });
});
