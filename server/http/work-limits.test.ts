import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../pipeline/principal';
import { databaseKinds, fhir, startTestJournal, type TestJournal } from '../test-support/test-databases';
import { bundleRowCost, FairGate, MAX_BUNDLE_ROWS, serializeWithinLimit } from './work-limits';

const search = (url: string) => ({ request: { method: 'GET', url } });
const batch = (entries: unknown[]) => ({ resourceType: 'Bundle', type: 'batch', entry: entries });

describe('work limit rules', () => {
  it('counts a search entry by its page size times 1 + its includes, anything else as 1', () => {
    expect(bundleRowCost(batch([search('Observation?_count=1000'), search('Observation'), search('Patient/x')]))).toBe(1000 + 50 + 1);
    expect(bundleRowCost(batch([search('/Condition?_count=10&_include=Condition:subject&_include=Condition:asserter')]))).toBe(30);
    expect(bundleRowCost(batch([{ request: { method: 'POST', url: 'Patient' } }, search('Patient?_count=0'), search('Patient?_count=abc'), search('Patient?name=%FF')]))).toBe(4);
    expect(bundleRowCost({ resourceType: 'Bundle', entry: 'x' })).toBe(0);
  });

  it('refuses an answer larger than the limit whole, naming the limit', () => {
    expect(serializeWithinLimit({ a: 'x' }, 100)).toBe('{"a":"x"}');
    expect(() => serializeWithinLimit({ a: 'x'.repeat(2000) }, 1024)).toThrow(/larger than 1 kB/);
    expect(() => serializeWithinLimit({ a: 'ø'.repeat(600) }, 1024)).toThrow(/larger than 1 kB/);
  });

  it('starts waiting requests one client after another, and refuses too many waiting with 429', async () => {
    const gate = new FairGate({ maxInFlight: 1, perClientInFlight: 1, maxQueuedPerClient: 3 });
    const order: string[] = [];
    let release: () => void = () => undefined;
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => (started = resolve));
    const first = gate.run('a', () => {
      started();
      return new Promise<void>((resolve) => (release = resolve));
    });
    await running;
    const queued = [
      ...['a1', 'a2', 'a3'].map((name) => gate.run('a', () => Promise.resolve(void order.push(name)))),
      gate.run('b', () => Promise.resolve(void order.push('b1'))),
    ];
    await expect(gate.run('a', () => Promise.resolve())).rejects.toMatchObject({ status: 429, code: 'throttled' });
    expect(gate.load).toEqual({ running: 1, waiting: 4 });
    release();
    await Promise.all([first, ...queued]);
    // b was never served, a just was: b goes first, then a's in their order.
    expect(order).toEqual(['b1', 'a1', 'a2', 'a3']);
    expect(gate.load).toEqual({ running: 0, waiting: 0 });
  });
});

const clinician = (request: { headers: Record<string, unknown> }): Principal => {
  const who = request.headers['x-test-clinician'];
  return typeof who === 'string' ? { kind: 'practitioner', id: `Practitioner/${who}` } : { kind: 'anonymous', id: 'anonymous' };
};

describe.each(databaseKinds)('the work of one request is bounded, on %s', (kind) => {
  let journal: TestJournal;
  let patientId = '';
  beforeAll(async () => {
    journal = await startTestJournal(kind, { authenticate: clinician });
    const patient = await fhir(`${journal.url}/Patient`, { method: 'POST', body: { resourceType: 'Patient', name: [{ family: 'Ventende' }] } });
    patientId = patient.body.id as string;
    const observations = Array.from({ length: 1000 }, (_, i) => ({
      resource: { resourceType: 'Observation', status: 'final', code: { text: `load ${i}` }, subject: { reference: `Patient/${patientId}` }, valueString: 'x'.repeat(200) },
      request: { method: 'POST', url: 'Observation' },
    }));
    expect((await fhir(`${journal.url}/`, { method: 'POST', body: { resourceType: 'Bundle', type: 'transaction', entry: observations } })).status).toBe(200);
  });
  afterAll(async () => {
    await journal.close();
  });
  const url = (path: string): string => `${journal.url}${path}`;

  it('refuses a batch that may read more than the row budget up front, naming the limit, and audits it', async () => {
    const before = (await journal.database.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log')).rows[0]?.n ?? 0;
    for (const entries of [1000, 11]) {
      const answer = await fhir(url('/'), { method: 'POST', body: batch(Array.from({ length: entries }, () => search('Observation?_count=1000'))) });
      expect(answer.status, `${entries} entries`).toBe(422);
      expect(answer.body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'too-costly' }] });
      expect(JSON.stringify(answer.body)).toContain(`at most ${MAX_BUNDLE_ROWS}`);
    }
    const audit = await journal.database.query<{ interaction: string; outcome: number }>('SELECT interaction, outcome FROM audit_log ORDER BY seq DESC LIMIT 2');
    expect(audit.rows).toEqual([
      { interaction: 'batch', outcome: 422 },
      { interaction: 'batch', outcome: 422 },
    ]);
    expect((await journal.database.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_log')).rows[0]?.n).toBe(before + 2);
    // Within the budget it runs.
    const within = await fhir(url('/'), { method: 'POST', body: batch(Array.from({ length: 10 }, () => search('Observation?_count=1000'))) });
    expect(within.status).toBe(200);
  });

  it("keeps another clinician's read prompt while one client sends many heavy requests", async () => {
    // What a greedy or broken client sends: batches far over the budget, then many within it
    // together with the other clinician's read.
    const greedy = (entries: number) =>
      fhir(url('/'), {
        method: 'POST',
        headers: { 'x-test-clinician': 'greedy' },
        body: batch(Array.from({ length: entries }, () => search('Observation?_count=1000'))),
      });
    const huge = [100, 100, 100].map(greedy);
    // Long enough for the first of them to be running (on PGlite: holding its one connection).
    await new Promise((resolve) => setTimeout(resolve, 300));
    const within = [10, 10, 10, 10].map(greedy);
    const started = performance.now();
    const read = await fhir(url(`/Patient/${patientId}`), { headers: { 'x-test-clinician': 'other' } });
    const waited = performance.now() - started;
    expect(read.status).toBe(200);
    const answers = await Promise.all([...huge, ...within]);
    const totalHeavy = performance.now() - started;
    expect(answers.map((answer) => answer.status)).toEqual([422, 422, 422, 200, 200, 200, 200]);
    // Generous: the read waits for at most the one heavy request running, not for all twelve.
    expect(waited, `read waited ${Math.round(waited)} ms while the heavy requests took ${Math.round(totalHeavy)} ms`).toBeLessThan(1500);
  });
});

describe.each(databaseKinds)('an answer larger than the limit is refused whole, on %s', (kind) => {
  let journal: TestJournal;
  beforeAll(async () => {
    journal = await startTestJournal(kind, { limits: { maxAnswerBytes: 16 * 1024 } });
    for (let i = 0; i < 40; i += 1) {
      await fhir(`${journal.url}/Observation`, { method: 'POST', body: { resourceType: 'Observation', status: 'final', code: { text: 'big' }, valueString: 'y'.repeat(1000) } });
    }
  });
  afterAll(async () => {
    await journal.close();
  });

  it('answers 422 too-costly naming the limit, never a half answer, and audits it', async () => {
    const response = await fetch(`${journal.url}/Observation?_count=100`, { headers: { accept: 'application/fhir+json' } });
    const text = await response.text();
    expect(response.status).toBe(422);
    const body = JSON.parse(text) as { resourceType: string; issue: { code: string; diagnostics: string }[] };
    expect(body).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'too-costly' }] });
    expect(body.issue[0]?.diagnostics).toContain('16 kB');
    expect(text).not.toContain('yyyy');
    const audit = await journal.database.query<{ interaction: string; outcome: number }>('SELECT interaction, outcome FROM audit_log ORDER BY seq DESC LIMIT 1');
    expect(audit.rows[0]).toEqual({ interaction: 'search', outcome: 422 });
    expect((await fhir(`${journal.url}/Observation?_count=5`)).status).toBe(200);
  });
});

describe.each(databaseKinds)('too many requests of one client waiting, on %s', (kind) => {
  let journal: TestJournal;
  beforeAll(async () => {
    journal = await startTestJournal(kind, { limits: { maxQueuedPerClient: 2, maxInFlight: 1, perClientInFlight: 1 } });
    const observations = Array.from({ length: 1000 }, (_, i) => ({
      resource: { resourceType: 'Observation', status: 'final', code: { text: `queue ${i}` } },
      request: { method: 'POST', url: 'Observation' },
    }));
    await fhir(`${journal.url}/`, { method: 'POST', body: { resourceType: 'Bundle', type: 'transaction', entry: observations } });
  });
  afterAll(async () => {
    await journal.close();
  });

  it('are refused with 429, Retry-After and an OperationOutcome, and the server goes on', async () => {
    const answers = await Promise.all(
      Array.from({ length: 8 }, () =>
        fetch(`${journal.url}/`, {
          method: 'POST',
          headers: { 'content-type': 'application/fhir+json', accept: 'application/fhir+json' },
          body: JSON.stringify(batch(Array.from({ length: 5 }, () => search('Observation?_count=1000')))),
        }),
      ),
    );
    const refused = answers.filter((answer) => answer.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]?.headers.get('retry-after')).toBe('1');
    expect(await refused[0]?.json()).toMatchObject({ resourceType: 'OperationOutcome', issue: [{ code: 'throttled' }] });
    expect(answers.filter((answer) => answer.status === 200).length).toBeGreaterThan(0);
    expect((await fetch(`${journal.url}/metadata`)).status).toBe(200);
  });
});
