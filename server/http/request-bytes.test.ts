import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextSyntheticNationalId as freshId } from '../test-support/synthetic-ids';
import { databaseKinds, FHIR_HEADERS, fhir, startTestJournal, type TestJournal } from '../test-support/test-databases';
import { parseJsonBody } from './request-bytes';

describe('parseJsonBody', () => {
  it('reads clean UTF-8 JSON, and an empty body as none', () => {
    expect(parseJsonBody(Buffer.from('{"a":"Bjørn 😀"}'))).toEqual({ a: 'Bjørn 😀' });
    expect(parseJsonBody(Buffer.from('  '))).toBeUndefined();
  });

  it.each([
    ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]), /not valid UTF-8/],
    ['an encoded surrogate (CESU-8)', Buffer.concat([Buffer.from('{"a":"'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')]), /not valid UTF-8/],
    ['an escaped NUL', Buffer.from('{"a":["x\\u0000"]}'), /at a\[0\] contains a NUL/],
    ['an escaped lone surrogate', Buffer.from('{"a":{"b":"\\ud800x"}}'), /at a\.b contains a lone surrogate/],
    ['a NUL in a property name', Buffer.from('{"a\\u0000":1}'), /property name that contains a NUL/],
    ['a number beyond a double', Buffer.from('{"n":1e400}'), /beyond the range of a double/],
    ['too deep nesting', Buffer.from(`${'['.repeat(65)}${']'.repeat(65)}`), /nested deeper than 64/],
  ])('refuses %s', (_name, bytes, message) => {
    expect(() => parseJsonBody(bytes)).toThrow(message);
  });

  it('accepts a well-formed surrogate pair, escaped or not', () => {
    expect(parseJsonBody(Buffer.from('{"a":"\\ud83d\\ude00"}'))).toEqual({ a: '😀' });
  });
});

interface AuditRow {
  interaction: string;
  resource_type: string | null;
  resource_id: string | null;
  outcome: number;
}

describe.each(databaseKinds)('bytes that used to get a 500 or be stored silently, on %s', (kind) => {
  let journal: TestJournal;
  beforeAll(async () => {
    journal = await startTestJournal(kind);
  });
  afterAll(async () => {
    await journal.close();
  });
  const url = (path: string): string => `${journal.url}${path}`;
  const rows = async (): Promise<number> =>
    (await journal.database.query<{ n: number }>('SELECT count(*)::int AS n FROM resource')).rows[0]?.n ?? -1;
  const lastAudit = async (): Promise<AuditRow | undefined> =>
    (await journal.database.query<AuditRow>('SELECT interaction, resource_type, resource_id, outcome FROM audit_log ORDER BY seq DESC LIMIT 1')).rows[0];
  const send = async (path: string, init: { method?: string; body?: string | Buffer; headers?: Record<string, string> } = {}) => {
    const response = await fetch(url(path), { method: init.method ?? 'GET', headers: { ...FHIR_HEADERS, ...init.headers }, ...(init.body !== undefined ? { body: init.body } : {}) });
    const text = await response.text();
    return { status: response.status, body: JSON.parse(text) as { resourceType?: string; issue?: { diagnostics?: string }[] } };
  };

  let patientId = '';
  beforeAll(async () => {
    const created = await fhir(url('/Patient'), {
      method: 'POST',
      body: { resourceType: 'Patient', identifier: [{ system: 'urn:oid:2.16.578.1.12.4.1.4.1', value: freshId() }], name: [{ family: 'Bytes' }] },
    });
    patientId = created.body.id as string;
  });

  const patientJson = (family: string): string => `{"resourceType":"Patient","name":[{"family":"${family}"}]}`;
  const cases: Array<[string, string, { method?: string; body?: string | Buffer; headers?: Record<string, string> }, Partial<AuditRow>]> = [
    ['a NUL in an id', '/Patient/a%00b', {}, { interaction: 'read', resource_type: 'Patient', resource_id: 'a\\u0000b' }],
    ['a NUL in a type', '/Pat%00ient/x', {}, { interaction: 'read', resource_id: 'x' }],
    ['a NUL in a search value', '/Patient?name=a%00b', {}, { interaction: 'search', resource_type: 'Patient' }],
    ['invalid UTF-8 in a search value', '/Patient?name=%FF', {}, { interaction: 'search' }],
    ['an encoded lone surrogate in a search value', '/Patient?name=%ED%A0%80', {}, { interaction: 'search' }],
    ['a NUL in a body', '/Patient', { method: 'POST', body: patientJson('a\\u0000b') }, { interaction: 'create', resource_type: 'Patient' }],
    ['a lone surrogate in a body', '/Patient', { method: 'POST', body: patientJson('\\ud800') }, { interaction: 'create' }],
    [
      'invalid UTF-8 in a body',
      '/Patient',
      { method: 'POST', body: Buffer.concat([Buffer.from('{"resourceType":"Patient","name":[{"family":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}]}')]) },
      { interaction: 'create' },
    ],
    ['a version id of 20 digits', '/Patient/PID/_history/99999999999999999999', {}, { interaction: 'vread', resource_id: 'PID' }],
    ['a history cursor of 20 digits', '/_history?_cursor=99999999999999999999', {}, { interaction: 'history' }],
    ['a NUL in If-None-Exist', '/Patient', { method: 'POST', body: patientJson('Cond'), headers: { 'if-none-exist': 'name=a%00' } }, { interaction: 'create' }],
    ['a Bundle whose entry is not an array', '/', { method: 'POST', body: '{"resourceType":"Bundle","type":"batch","entry":{"request":{}}}' }, { interaction: 'batch' }],
    [
      'a NUL in a bundle entry URL',
      '/',
      { method: 'POST', body: '{"resourceType":"Bundle","type":"transaction","entry":[{"request":{"method":"GET","url":"Patient?name=%00"}}]}' },
      { interaction: 'transaction' },
    ],
  ];

  it.each(cases)('refuses %s with a 400 OperationOutcome, audited, storing nothing', async (_name, path, init, audit) => {
    const before = await rows();
    const answer = await send(path.replace('PID', patientId), init);
    expect(answer.status).toBe(400);
    expect(answer.body.resourceType).toBe('OperationOutcome');
    expect(await rows()).toBe(before);
    expect(await lastAudit()).toMatchObject({ outcome: 400, ...audit, ...(audit.resource_id === 'PID' ? { resource_id: patientId } : {}) });
  });

  it('refuses a 20-digit version in If-Match and in a bundle entry', async () => {
    const put = await send(`/Patient/${patientId}`, {
      method: 'PUT',
      body: `{"resourceType":"Patient","id":"${patientId}"}`,
      headers: { 'if-match': 'W/"99999999999999999999"' },
    });
    expect(put.status).toBe(400);
    const batch = await fhir(url('/'), {
      method: 'POST',
      body: { resourceType: 'Bundle', type: 'batch', entry: [{ request: { method: 'GET', url: `Patient/${patientId}/_history/99999999999999999999` } }] },
    });
    expect((batch.body.entry as { response: { status: string } }[])[0]?.response.status).toBe('400');
  });

  it('keeps the patient unchanged and the server answering', async () => {
    const read = await fhir(url(`/Patient/${patientId}`));
    expect(read.status).toBe(200);
    expect(read.body.name).toEqual([{ family: 'Bytes' }]);
  });
});
