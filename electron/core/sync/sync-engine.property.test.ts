import { randomUUID } from 'node:crypto';
import type { Resource } from 'fhir/r4';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CacheStore, FhirResource, OfflineCache } from '../cache';
import { openFor, openTestCards, tempRoot } from '../cache/cache-test-support';
import { memoryLog } from '../test-support/memory-log';
import type { EverythingOk, Failure, JournalClient, Outcome } from './journal-client';
import { CHANGE_TAG_SYSTEM } from './local-changes';
import { SyncEngine } from './sync-engine';

/**
 * Properties of the sync engine against a scripted journal (a fake of the few JournalClient
 * methods the engine calls) and a real encrypted cache: the outbox order per patient whatever the
 * journal answers, and the pull cursor with its overlap and de-duplication.
 */

const NUM_RUNS = 30;
const PATIENTS = ['p0', 'p1', 'p2'] as const;
const MEDS_PER_PATIENT = 2;

type Scripted = 'ok' | 'retry' | 'lost' | 'rejected' | 'conflict';
type Step = { kind: 'create'; patient: number } | { kind: 'update'; patient: number; med: number } | { kind: 'push' };
type Event = { t: 'send'; clientId: string } | { t: 'acked' | 'failed' | 'conflict'; seq: number };

/** The cache's loose FHIR type as the client's FHIR type (what the journal would send). */
const asResource = (resource: FhirResource): Resource => resource;
/** Like the network, the journal answers on a later turn of the event loop. */
const answerLater = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const medId = (patient: number, med: number): string => `med-${patient}-${med}`;
const keyOf = (type: string, id: string): string => `${type}/${id}`;
const tagOf = (resource: FhirResource): string | undefined =>
  (Array.isArray(resource.meta?.['tag']) ? (resource.meta['tag'] as { system?: string; code?: string }[]) : []).find((tag) => tag.system === CHANGE_TAG_SYSTEM)?.code;

/**
 * A journal that answers each push request as scripted, but like the real one where it matters:
 * a create whose client identifier it already holds answers 200 with it (If-None-Exist), an
 * update on another version than the current one is a 412, 'lost' means stored but the answer
 * never arrived, 'conflict' means someone else wrote first.
 */
class ScriptedJournal {
  private turn = 0;
  readonly resources = new Map<string, FhirResource>();
  private readonly createdBy = new Map<string, FhirResource>();
  /** Client ids of the changes this journal stored (create client ids and update change tags). */
  readonly applied: string[] = [];
  /** Resources someone else wrote to (a real conflict), and how many requests were refused. */
  readonly foreign = new Set<string>();
  refused = 0;

  constructor(
    private readonly script: readonly Scripted[],
    private readonly events: Event[],
  ) {}

  private next(): Scripted {
    return this.script[this.turn++] ?? 'ok';
  }

  async create(resource: FhirResource, _ifNoneExist: string): Promise<Outcome> {
    await answerLater();
    const clientId = (resource['identifier'] as { value: string }).value;
    this.events.push({ t: 'send', clientId });
    const outcome = this.next();
    if (outcome === 'retry') {
      return { kind: 'retry', reason: 'network', code: 'ECONNRESET' };
    }
    const earlier = this.createdBy.get(clientId);
    if (earlier) {
      return { kind: 'ok', status: 200, body: earlier, resource: asResource(earlier) };
    }
    if (outcome === 'rejected') {
      this.refused += 1;
      return { kind: 'rejected', status: 422, message: 'refused' };
    }
    if (outcome === 'conflict') {
      // A 409 to a create (a match the clinician may not see): permanent, so the engine looks for
      // its own copy by client identifier, finds none, and stops the change as refused.
      this.refused += 1;
      return { kind: 'conflict', status: 409, message: 'a matching record exists' };
    }
    const stored: FhirResource = { ...resource, id: `srv-${randomUUID()}`, meta: { versionId: '1' } };
    this.createdBy.set(clientId, stored);
    this.resources.set(keyOf(stored.resourceType, stored.id ?? ''), stored);
    this.applied.push(clientId);
    return outcome === 'ok' ? { kind: 'ok', status: 201, body: stored, resource: asResource(stored) } : { kind: 'retry', reason: 'bad-response', status: 201 };
  }

  async update(resource: FhirResource, ifMatch: string): Promise<Outcome> {
    await answerLater();
    const clientId = tagOf(resource) ?? '';
    this.events.push({ t: 'send', clientId });
    const outcome = this.next();
    if (outcome === 'retry') {
      return { kind: 'retry', reason: 'network', code: 'ECONNREFUSED' };
    }
    const key = keyOf(resource.resourceType, resource.id ?? '');
    const current = this.resources.get(key);
    const version = Number(current?.meta?.versionId ?? 0);
    if (!current || current.meta?.versionId !== ifMatch) {
      return { kind: 'conflict', status: 412, message: 'version' };
    }
    if (outcome === 'rejected') {
      this.refused += 1;
      return { kind: 'rejected', status: 400, message: 'refused' };
    }
    if (outcome === 'conflict') {
      this.foreign.add(key);
      this.resources.set(key, { ...current, note: [{ text: 'theirs' }], meta: { versionId: String(version + 1), tag: [{ system: CHANGE_TAG_SYSTEM, code: `other-${randomUUID()}` }] } });
      return { kind: 'conflict', status: 412, message: 'version' };
    }
    const stored: FhirResource = { ...resource, meta: { ...resource.meta, versionId: String(version + 1) } };
    this.resources.set(key, stored);
    this.applied.push(clientId);
    return outcome === 'ok' ? { kind: 'ok', status: 200, body: stored, resource: asResource(stored) } : { kind: 'retry', reason: 'network', code: 'ECONNRESET' };
  }

  async read(type: string, id: string): Promise<Outcome> {
    await answerLater();
    const current = this.resources.get(keyOf(type, id));
    return current ? { kind: 'ok', status: 200, body: current, resource: asResource(current) } : { kind: 'rejected', status: 404, message: 'not found' };
  }

  /** Only the engine's look-up of its own create by client identifier. */
  async search(type: string, params: { identifier?: string }): Promise<Outcome> {
    await answerLater();
    const clientId = params.identifier?.split('|')[1] ?? '';
    const found = this.createdBy.get(clientId);
    const entry = found && found.resourceType === type ? [{ resource: asResource(found) }] : [];
    return { kind: 'ok', status: 200, body: { resourceType: 'Bundle', type: 'searchset', entry } };
  }

  /**
   * A batch of creates and updates: each entry answered as if sent alone, in the batch-response
   * shape; a scripted 'retry' or lost answer becomes that entry's 500 (the change may be stored).
   */
  async transaction(bundle: { type?: string; entry?: { resource?: unknown; request?: { method?: string; ifNoneExist?: string; ifMatch?: string } }[] }): Promise<Outcome> {
    if (bundle.type !== 'batch') {
      throw new Error('no note transactions in this test');
    }
    const entry = [];
    for (const item of bundle.entry ?? []) {
      const resource = item.resource as FhirResource;
      const outcome =
        item.request?.method === 'POST'
          ? await this.create(resource, item.request.ifNoneExist ?? '')
          : await this.update(resource, /^W\/"(.+)"$/.exec(item.request?.ifMatch ?? '')?.[1] ?? '');
      entry.push(
        outcome.kind === 'ok'
          ? { resource: outcome.resource, response: { status: String(outcome.status) } }
          : { response: { status: outcome.kind === 'conflict' || outcome.kind === 'rejected' ? String(outcome.status) : '500' } },
      );
    }
    return { kind: 'ok', status: 200, body: { resourceType: 'Bundle', type: 'batch-response', entry } };
  }
}

/** The engine is typed on the JournalClient class (private fields): a structural fake needs this one cast. */
const asClient = (fake: object): JournalClient => fake as unknown as JournalClient;

/** The cache, with what the engine records about each outbox item written into the event log. */
const recording = (cache: CacheStore, events: Event[]): CacheStore =>
  new Proxy(cache, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') {
        return value;
      }
      const method = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]) => {
        const seq = args[0] as number;
        if (property === 'markSent') {
          events.push({ t: 'acked', seq });
        } else if (property === 'markFailed') {
          events.push({ t: 'failed', seq });
        } else if (property === 'recordConflict') {
          events.push({ t: 'conflict', seq });
        }
        return method.apply(target, args);
      };
    },
  });

describe('sync engine properties', () => {
  let cards: ReturnType<typeof openTestCards>;
  beforeAll(() => {
    cards = openTestCards();
  });
  afterAll(() => cards.close());

  /** A fresh cache per run, closed and removed however the run ends. */
  const withCache = async (run: (cache: OfflineCache) => Promise<void>): Promise<void> => {
    const where = tempRoot();
    const { cache } = openFor(cards.kari, where);
    try {
      await run(cache);
    } finally {
      cache.close();
      where.remove();
    }
  };

  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('create' as const), patient: fc.integer({ min: 0, max: PATIENTS.length - 1 }) }) },
    {
      weight: 3,
      arbitrary: fc.record({
        kind: fc.constant('update' as const),
        patient: fc.integer({ min: 0, max: PATIENTS.length - 1 }),
        med: fc.integer({ min: 0, max: MEDS_PER_PATIENT - 1 }),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ kind: 'push' as const }) },
  );
  const scripted = fc.array(fc.constantFrom<Scripted>('ok', 'retry', 'lost', 'rejected', 'conflict'), { maxLength: 40 });

  it('sends each patient’s changes in save order, never after a later one was accepted, and never again once accepted', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 25 }), scripted, async (steps, script) =>
        withCache(async (cache) => {
          const events: Event[] = [];
          const journal = new ScriptedJournal(script, events);
          const meds: FhirResource[] = PATIENTS.flatMap((patient, p) =>
            Array.from({ length: MEDS_PER_PATIENT }, (_, m) => ({
              resourceType: 'MedicationStatement',
              id: medId(p, m),
              meta: { versionId: '1' },
              status: 'active',
              subject: { reference: `Patient/${patient}` },
            })),
          );
          cache.putResources(meds);
          for (const med of meds) {
            journal.resources.set(keyOf(med.resourceType, med.id ?? ''), med);
          }
          const engine = new SyncEngine({ cache: recording(cache, events), client: asClient(journal), log: memoryLog().log, backoff: { baseMs: 0, capMs: 0 }, batchSize: 10 });

          const items = new Map<number, { seq: number; clientId: string; patient: string; resource: string }>();
          const seqOf = new Map<string, number>();
          for (const [n, s] of steps.entries()) {
            if (s.kind === 'push') {
              await engine.pushOnce();
              continue;
            }
            const patient = PATIENTS[s.patient] ?? 'p0';
            const saved =
              s.kind === 'create'
                ? engine.save({ resourceType: 'Composition', status: 'final', subject: { reference: `Patient/${patient}` }, title: `note ${n}` })
                : engine.save({ ...(cache.getResource('MedicationStatement', medId(s.patient, s.med)) as FhirResource), note: [{ text: `change ${n}` }] });
            items.set(saved.seq, { seq: saved.seq, clientId: saved.clientId, patient, resource: keyOf(saved.resourceType, saved.resourceId) });
            seqOf.set(saved.clientId, saved.seq);
          }
          // Until a pass does nothing: every scripted failure is finite, so this ends.
          for (let pass = 0; pass < 500; pass += 1) {
            const counts = await engine.pushOnce();
            if (counts.sent + counts.deferred + counts.conflicts + counts.failed === 0) {
              break;
            }
          }

          const acked = new Set<number>();
          const parked = new Set<number>();
          const stopped = (item: { seq: number; resource: string }): boolean =>
            [...parked].some((p) => p <= item.seq && items.get(p)?.resource === item.resource);
          const sentOnce = new Set<number>();
          for (const event of events) {
            if (event.t !== 'send') {
              (event.t === 'acked' ? acked : parked).add(event.seq);
              continue;
            }
            const seq = seqOf.get(event.clientId);
            const item = seq === undefined ? undefined : items.get(seq);
            expect(item, 'a request names an outbox item').toBeDefined();
            if (!item) {
              return;
            }
            expect(acked.has(item.seq), 'sent again after it was accepted').toBe(false);
            expect(parked.has(item.seq), 'sent again after a conflict or refusal, without the user').toBe(false);
            for (const other of items.values()) {
              if (other.patient !== item.patient || other.seq === item.seq) {
                continue;
              }
              if (other.seq > item.seq) {
                expect(acked.has(other.seq), 'sent after a later change of the same patient was accepted').toBe(false);
              } else if (!acked.has(other.seq)) {
                // An earlier change not accepted yet: only one stopped for the user (parked, or queued
                // behind a parked change to its resource) lets this one past, and only to another resource.
                expect(stopped(other) && other.resource !== item.resource, 'sent before an earlier change of the same patient').toBe(true);
              }
            }
            sentOnce.add(item.seq);
          }
          // First sends per patient follow save order.
          for (const patient of PATIENTS) {
            const firsts = [...new Set(events.flatMap((e) => (e.t === 'send' ? [seqOf.get(e.clientId) ?? -1] : [])))].filter((seq) => items.get(seq)?.patient === patient);
            expect(firsts).toEqual([...firsts].sort((a, b) => a - b));
          }
          // Where it ends: accepted, parked, or held behind a parked change to the same resource.
          const pending = cache.allOutbox().filter((item) => item.state === 'pending').map((item) => item.seq);
          expect(pending.sort((a, b) => a - b)).toEqual(
            [...items.values()].filter((item) => !acked.has(item.seq) && !parked.has(item.seq)).map((item) => item.seq),
          );
          expect(pending.every((seq) => { const item = items.get(seq); return item !== undefined && stopped(item); })).toBe(true);
          expect([...acked].filter((seq) => parked.has(seq))).toEqual([]);
          const stats = cache.outboxStats();
          expect(stats.failed + stats.conflicts).toBe(parked.size);
          // Refused exactly when the journal refused; a conflict only where someone else wrote (never our own lost answer).
          expect(stats.failed).toBe(journal.refused);
          const conflicted = events.flatMap((e) => (e.t === 'conflict' ? [items.get(e.seq)?.resource ?? ''] : []));
          expect(conflicted.filter((resource) => !journal.foreign.has(resource))).toEqual([]);
          // What the journal stored is exactly what the engine was told was accepted: nothing lost, nothing twice.
          expect(new Set(journal.applied).size).toBe(journal.applied.length);
          expect(new Set(journal.applied)).toEqual(new Set([...acked].map((seq) => items.get(seq)?.clientId)));
        }),
      ),
      { numRuns: NUM_RUNS },
    );
  }, 60_000);

  it('pulls since the cursor less the overlap, moves the cursor only to what the journal said, and de-duplicates by version', async () => {
    const pool = [
      { resourceType: 'Patient', id: 'p1' },
      { resourceType: 'Observation', id: 'o1', subject: { reference: 'Patient/p1' } },
      { resourceType: 'Observation', id: 'o2', subject: { reference: 'Patient/p1' } },
      { resourceType: 'MedicationStatement', id: 'm1', subject: { reference: 'Patient/p1' } },
    ];
    const base = Date.parse('2026-11-28T08:00:00.000Z');
    const versionOf = (index: number, version: number): FhirResource => ({
      ...(pool[index] ?? { resourceType: 'Patient', id: 'p1' }),
      meta: { versionId: String(version), lastUpdated: new Date(base + version * 1000).toISOString() },
      text: { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">v${version}</div>` },
    });
    const pull = fc.record({
      fails: fc.boolean(),
      dated: fc.boolean(),
      advanceMs: fc.integer({ min: 0, max: 3_600_000 }),
      // Versions 1-12, so "10" against "9" is compared as a number; repeats and any order.
      resources: fc.array(fc.record({ index: fc.integer({ min: 0, max: pool.length - 1 }), version: fc.integer({ min: 1, max: 12 }) }), { maxLength: 12 }),
    });

    await fc.assert(
      fc.asyncProperty(fc.array(pull, { minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 600_000 }), async (pulls, overlapMs) =>
        withCache(async (cache) => {
          let serverClock = base + 86_400_000;
          let turn = 0;
          const asked: (string | undefined)[] = [];
          const journal = {
            everything: async (patientId: string, since?: string): Promise<EverythingOk | Failure> => {
              await answerLater();
              expect(patientId).toBe('p1');
              asked.push(since);
              const script = pulls[turn++];
              if (!script || script.fails) {
                return { kind: 'retry', reason: 'network', code: 'ECONNRESET' };
              }
              serverClock += script.advanceMs;
              const resources = script.resources.map((r) => versionOf(r.index, r.version));
              return { kind: 'ok', status: 200, resources: resources.map(asResource), pages: 1, blocked: false, ...(script.dated ? { since: new Date(serverClock).toISOString() } : {}) };
            },
          };
          const engine = new SyncEngine({ cache, client: asClient(journal), log: memoryLog().log, overlapMs });

          let cursor: string | undefined;
          const newest = new Map<string, number>();
          for (const [n, script] of pulls.entries()) {
            const result = await engine.pullPatient('p1');
            const since = asked[n];
            if (cursor === undefined) {
              expect(since, 'the first pull asks for everything').toBeUndefined();
            } else {
              expect(since).toBe(new Date(Date.parse(cursor) - overlapMs).toISOString());
              expect(Date.parse(since ?? '')).toBeLessThanOrEqual(Date.parse(cursor));
            }
            if (script.fails) {
              expect(result).toEqual({ ok: false, reason: 'retry' });
            } else {
              let written = 0;
              for (const { index, version } of script.resources) {
                const key = String(index);
                if (version > (newest.get(key) ?? 0)) {
                  newest.set(key, version);
                  written += 1;
                }
              }
              expect(result).toEqual({ ok: true, written, blocked: false, dropped: 0 });
              if (script.dated) {
                const next = new Date(serverClock).toISOString();
                expect(cursor === undefined || Date.parse(next) >= Date.parse(cursor), 'the cursor moves forward only').toBe(true);
                cursor = next;
              }
            }
            // A failed or undated pull leaves the cursor where it was.
            expect(cache.getCursor('patient:p1')).toBe(cursor);
            // One row per resource, holding the newest version seen, whatever came twice or late.
            expect(cache.patientChart('p1')).toHaveLength(newest.size);
            for (const [key, version] of newest) {
              const { resourceType, id } = pool[Number(key)] ?? { resourceType: '', id: '' };
              expect(cache.getResource(resourceType, id)?.meta?.versionId).toBe(String(version));
            }
          }
        }),
      ),
      { numRuns: NUM_RUNS },
    );
  }, 60_000);
});
