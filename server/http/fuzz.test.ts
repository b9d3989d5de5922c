import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds, FHIR_HEADERS, startTestJournal, type TestJournal } from '../test-support/test-databases';

/**
 * The fuzz lane: random requests over the real HTTP API, on both databases, within a fixed time
 * budget per database (FUZZ_MS, default 15 s, so `npm test` stays bounded on a 2-core machine).
 * Whatever comes in: never a 5xx, every refusal an OperationOutcome, nothing stored by a refused
 * write, and the server still answering afterwards. A failure prints fast-check's seed and path
 * for replaying it (`fc.assert(..., { seed, path })`).
 */
const FUZZ_MS = Number(process.env.FUZZ_MS ?? 15_000);

/** encodeURIComponent, with a lone surrogate sent as the bytes a lenient encoder would make of it. */
const enc = (text: string): string =>
  Array.from(text, (char) => {
    try {
      return encodeURIComponent(char);
    } catch {
      return '%ED%A0%80';
    }
  }).join('');

const nasty = fc.oneof(
  { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 20 }) },
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      '\u0000',
      'a\u0000b',
      '\ud800',
      'x\udfff',
      '\ud83d\ude00',
      'Bjørn',
      '%00',
      '%FF',
      '%ED%A0%80',
      '%E0%A4%A',
      '1e400',
      '99999999999999999999',
      '-1',
      '0',
      '../../etc/passwd',
      'a|b',
      'a\\|b',
      ',,,',
      'urn:uuid:8f0c4a6e-0000-4000-8000-000000000001',
      'Patient/x',
      '15898010020',
      'eq2020-01-01',
      'ge9999-99-99',
      '',
      ' ',
      'x'.repeat(300),
    ),
  },
);
const types = fc.constantFrom('Patient', 'Observation', 'Condition', 'Practitioner', 'AuditEvent', 'Spaceship', 'patient', '\u0000');
const ids = fc.oneof(fc.uuid(), nasty, fc.constantFrom('x', 'a.b-c', 'A'.repeat(65)));
const hugeNumber = fc.constantFrom('1e400', '-1e400', '123456789012345678901234567890', '-0', '1.7976931348623157e309');

const deep = fc.integer({ min: 1, max: 120 }).map((depth) => `${'['.repeat(depth)}1${']'.repeat(depth)}`);

const resource = fc.record(
  {
    resourceType: types,
    id: ids,
    identifier: fc.array(fc.record({ system: fc.oneof(nasty, fc.constant('urn:oid:2.16.578.1.12.4.1.4.1')), value: fc.oneof(nasty, fc.jsonValue()) }, { requiredKeys: [] }), { maxLength: 3 }),
    name: fc.array(fc.record({ family: nasty, given: fc.array(nasty, { maxLength: 2 }) }, { requiredKeys: [] }), { maxLength: 2 }),
    birthDate: nasty,
    status: fc.constantFrom('final', 'amended', 'x'),
    code: fc.record({ text: nasty, coding: fc.array(fc.record({ system: nasty, code: nasty }), { maxLength: 2 }) }, { requiredKeys: [] }),
    subject: fc.record({ reference: fc.oneof(nasty, ids.map((id) => `Patient/${id}`)) }),
    meta: fc.oneof(fc.jsonValue(), fc.record({ versionId: nasty })),
    extension: fc.jsonValue({ maxDepth: 4 }),
  },
  { requiredKeys: [] },
);

/** A body: JSON of a resource, or JSON text with a hostile piece spliced in, or any bytes. */
const body = fc.oneof(
  { weight: 4, arbitrary: resource.map((value) => Buffer.from(JSON.stringify(value))) },
  { weight: 1, arbitrary: fc.tuple(resource, nasty).map(([value, key]) => Buffer.from(JSON.stringify({ ...value, [key]: key }))) },
  { weight: 1, arbitrary: hugeNumber.map((n) => Buffer.from(`{"resourceType":"Observation","status":"final","code":{"text":"n"},"valueQuantity":{"value":${n}}}`)) },
  { weight: 1, arbitrary: deep.map((nesting) => Buffer.from(`{"resourceType":"Observation","status":"final","extension":${nesting}}`)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((bytes) => Buffer.from(bytes)) },
  {
    weight: 1,
    arbitrary: fc
      .tuple(fc.uint8Array({ minLength: 1, maxLength: 4 }))
      .map(([bytes]) => Buffer.concat([Buffer.from('{"resourceType":"Patient","name":[{"family":"'), Buffer.from(bytes), Buffer.from('"}]}')])),
  },
);

const searchParam = fc.constantFrom('name', 'family', 'identifier', 'birthdate', '_id', 'code', 'patient', 'subject', 'date', '_count', '_offset', '_sort', '_include', '_total', '_since', '_cursor', 'shoesize', 'name:exact', '_format');
/** Query values either percent-encoded from any string, or raw (may hold broken %-escapes). */
const queryValue = fc.oneof(nasty.map(enc), nasty.filter((value) => !/[#?&\s]/.test(value)));
const query = fc.array(fc.tuple(searchParam, queryValue), { maxLength: 4 }).map((pairs) => pairs.map(([key, value]) => `${key}=${value}`).join('&'));

const entry = fc.record(
  {
    fullUrl: fc.oneof(nasty, fc.constant('urn:uuid:8f0c4a6e-0000-4000-8000-000000000001')),
    resource: fc.oneof(resource, fc.jsonValue({ maxDepth: 2 })),
    request: fc.record(
      {
        method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'x'),
        url: fc.oneof(fc.tuple(types, query).map(([type, search]) => `${type}?${search}`), fc.tuple(types, ids).map(([type, id]) => `${type}/${id}`), nasty),
        ifMatch: fc.oneof(nasty, fc.constantFrom('W/"1"', 'W/"99999999999999999999"')),
        ifNoneExist: fc.oneof(query, fc.jsonValue()),
      },
      { requiredKeys: [] },
    ),
  },
  { requiredKeys: [] },
);
const bundle = fc.record(
  {
    resourceType: fc.constantFrom('Bundle', 'Bundle', 'Patient'),
    type: fc.constantFrom('batch', 'transaction', 'collection', 7),
    entry: fc.oneof({ weight: 4, arbitrary: fc.array(entry, { maxLength: 5 }) }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) }),
  },
  { requiredKeys: [] },
);

interface FuzzRequest {
  method: string;
  path: string;
  body?: Buffer;
  headers?: Record<string, string>;
  /** Refused, it must have stored nothing. */
  writes: boolean;
}

const request: fc.Arbitrary<FuzzRequest> = fc.oneof(
  fc.tuple(types, body).map(([type, bytes]) => ({ method: 'POST', path: `/${enc(type)}`, body: bytes, writes: true })),
  fc
    .tuple(types, ids, body, fc.option(fc.oneof(nasty, fc.constantFrom('W/"1"', 'W/"99999999999999999999"', '"2"')), { nil: undefined }))
    .map(([type, id, bytes, ifMatch]) => ({
      method: 'PUT',
      path: `/${enc(type)}/${enc(id)}`,
      body: bytes,
      ...(ifMatch !== undefined && /^[\x20-\x7e]*$/.test(ifMatch) ? { headers: { 'if-match': ifMatch } } : {}),
      writes: true,
    })),
  fc.tuple(types, query).map(([type, search]) => ({ method: 'GET', path: `/${enc(type)}?${search}`, writes: false })),
  fc.tuple(types, ids).map(([type, id]) => ({ method: 'GET', path: `/${enc(type)}/${enc(id)}`, writes: false })),
  fc.tuple(types, ids, nasty).map(([type, id, vid]) => ({ method: 'GET', path: `/${type}/${id}/_history/${vid}`.replace(/[#?\s]/g, ''), writes: false })),
  fc.tuple(fc.constantFrom('/_history', '/Patient/_history', '/Patient/x/$everything'), query).map(([path, search]) => ({ method: 'GET', path: `${path}?${search}`, writes: false })),
  bundle.map((value) => ({ method: 'POST', path: '/', body: Buffer.from(JSON.stringify(value)), writes: true })),
  fc.tuple(types, query).map(([type, search]) => ({
    method: 'POST',
    path: `/${enc(type)}`,
    body: Buffer.from(JSON.stringify({ resourceType: type, name: [{ family: 'Betinget' }] })),
    // A header value must be Latin-1 for fetch to send it at all; Node reads the bytes as such.
    ...(/^[\x20-\x7e]*$/.test(search) ? { headers: { 'if-none-exist': search } } : {}),
    writes: true,
  })),
);

describe.each(databaseKinds)('fuzz lane over the HTTP API, on %s', (kind) => {
  let journal: TestJournal;
  beforeAll(async () => {
    journal = await startTestJournal(kind);
  });
  afterAll(async () => {
    await journal.close();
  });
  const rows = async (): Promise<number> =>
    (await journal.database.query<{ n: number }>('SELECT count(*)::int AS n FROM resource')).rows[0]?.n ?? -1;

  it(
    'never answers 5xx, refuses with OperationOutcomes, stores nothing refused, and keeps answering',
    async () => {
      const started = performance.now();
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(request, async (sent) => {
          runs += 1;
          const before = sent.writes ? await rows() : 0;
          let url: string;
          try {
            url = new URL(`${journal.url}${sent.path}`).toString();
          } catch {
            return; // not a URL a client could send
          }
          const response = await fetch(url, {
            method: sent.method,
            headers: { ...FHIR_HEADERS, ...sent.headers },
            ...(sent.body ? { body: sent.body } : {}),
          });
          const text = await response.text();
          expect(response.status, `${sent.method} ${sent.path}: ${text.slice(0, 300)}`).toBeLessThan(500);
          if (response.status >= 400) {
            expect((JSON.parse(text) as { resourceType?: string }).resourceType, `${sent.method} ${sent.path}`).toBe('OperationOutcome');
            if (sent.writes) {
              expect(await rows(), `refused ${sent.method} ${sent.path} stored something`).toBe(before);
            }
          }
        }),
        { numRuns: 5_000, interruptAfterTimeLimit: FUZZ_MS, endOnFailure: true },
      );
      const seconds = (performance.now() - started) / 1000;
      expect(runs).toBeGreaterThan(50);
      process.stdout.write(`fuzz lane on ${kind}: ${runs} requests in ${seconds.toFixed(1)} s\n`);
      expect((await fetch(`${journal.url}/metadata`)).status).toBe(200);
      const created = await fetch(`${journal.url}/Patient`, {
        method: 'POST',
        headers: FHIR_HEADERS,
        body: JSON.stringify({ resourceType: 'Patient', name: [{ family: 'Etterpå' }] }),
      });
      expect(created.status).toBe(201);
    },
    FUZZ_MS + 30_000,
  );
});
