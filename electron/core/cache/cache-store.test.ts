import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CacheError } from './cache-errors';
import type { OfflineCache } from './cache-database';
import type { FhirResource } from './cached-resource';
import { hotQueries } from './cache-store';
import { ase, bo, note, openFor, openTestCards, tempRoot } from './cache-test-support';

describe('the cache store', () => {
  let cards: ReturnType<typeof openTestCards>;
  let where: ReturnType<typeof tempRoot>;
  let cache: OfflineCache;
  beforeAll(() => {
    cards = openTestCards();
  });
  afterAll(() => cards.close());
  beforeEach(() => {
    where = tempRoot();
    cache = openFor(cards.kari, where).cache;
  });
  afterEach(() => {
    cache.close();
    where.remove();
  });

  describe('de-duplicating by (type, id, versionId)', () => {
    it('keeps one row when the same version arrives twice', () => {
      expect(cache.putResources([ase])).toEqual({ written: 1, unchanged: 0, keptLocal: 0 });
      expect(cache.putResources([{ ...ase, name: [{ family: 'Endret' }] }])).toEqual({ written: 0, unchanged: 1, keptLocal: 0 });
      expect(cache.patientChart('pat-ase')).toEqual([ase]);
    });

    it('does not let an older version overwrite a newer one, but lets a newer one in', () => {
      const v3 = { ...ase, meta: { versionId: '3' }, gender: 'female' };
      const v10 = { ...ase, meta: { versionId: '10' }, gender: 'other' };
      cache.putResources([v3]);
      expect(cache.putResources([ase]).unchanged).toBe(1);
      expect(cache.getResource('Patient', 'pat-ase')).toEqual(v3);
      // 10 > 3 as numbers, though not as strings.
      expect(cache.putResources([v10]).written).toBe(1);
      expect(cache.getResource('Patient', 'pat-ase')).toEqual(v10);
    });

    it('keeps an unsynced local change when a pull brings the server version, until it is sent', () => {
      cache.putResources([note('n1', 'server', '1')]);
      const local = note('n1', 'mine', '1');
      const { seq } = cache.writeLocalChange({ resource: local, request: { method: 'PUT' }, clientId: 'c1' });
      expect(cache.putResources([note('n1', 'theirs', '2')]).keptLocal).toBe(1);
      expect(cache.getResource('Composition', 'n1')).toEqual(local);
      cache.markSent(seq, note('n1', 'mine', '3'));
      expect(cache.getResource('Composition', 'n1')).toEqual(note('n1', 'mine', '3'));
      expect(cache.outboxStats().pending).toBe(0);
    });
  });

  describe('patient search', () => {
    beforeEach(() => {
      cache.putResources([ase, bo]);
    });
    const ids = (query: string) => cache.searchPatients(query).map((patient) => patient.id);

    it('finds names by accent-folded prefixes of every typed word', () => {
      expect(ids('Ase')).toEqual(['pat-ase']);
      expect(ids('åse')).toEqual(['pat-ase']);
      expect(ids('odeg')).toEqual(['pat-ase']);
      expect(ids('Bo')).toEqual(['pat-bo']);
      expect(ids('aerl')).toEqual(['pat-bo']);
      expect(ids('t åse')).toEqual(['pat-ase']);
      expect(ids('åse bø')).toEqual([]);
    });

    it('finds names in any order, each a prefix', () => {
      expect(ids('testesen åse')).toEqual(['pat-ase']);
      expect(ids('åse testesen')).toEqual(['pat-ase']);
      expect(ids('ødeg t')).toEqual(['pat-ase']);
      expect(ids('å 15.05.1980')).toEqual(['pat-ase']);
      expect(ids('ødeg 02.01.1970')).toEqual([]);
    });

    it('finds by a whole national id, D-number or FH number, and never by one that fails its check digits', () => {
      const withIds = (id: string, value: string, system: string) => ({ ...bo, id, identifier: [{ system, value }] });
      cache.putResources([
        withIds('pat-fnr', '01018012371', 'urn:oid:2.16.578.1.12.4.1.4.1'),
        withIds('pat-dnr', '41018012365', 'urn:oid:2.16.578.1.12.4.1.4.2'),
        withIds('pat-fh', '81234567802', 'urn:oid:2.16.578.1.12.4.1.4.3'),
      ]);
      expect(ids('01018012371')).toEqual(['pat-fnr']);
      expect(ids('010180 12371')).toEqual(['pat-fnr']);
      expect(ids('41018012365')).toEqual(['pat-dnr']);
      expect(ids('81234567802')).toEqual(['pat-fh']);
      // 15528012345 (Åse's) has wrong check digits: a typo must not find anyone, even a stored match.
      expect(ids('15528012345')).toEqual([]);
    });

    it('finds by national id prefix and by birth date as typed', () => {
      expect(ids('1552')).toEqual(['pat-ase']);
      expect(ids('15.05.1980')).toEqual(['pat-ase']);
      expect(ids('150580')).toEqual(['pat-ase']);
      expect(ids('1980-05')).toEqual(['pat-ase']);
      expect(ids('0201')).toEqual(['pat-bo']);
    });

    it('reads nothing the user types as FTS5 syntax', () => {
      expect(ids('"')).toEqual([]);
      expect(ids('åse OR bø')).toEqual([]);
      expect(ids('NEAR(åse')).toEqual([]);
      expect(ids('   ')).toEqual([]);
    });

    it('follows a renamed patient (the index is updated with the row)', () => {
      cache.putResources([{ ...ase, meta: { versionId: '2' }, name: [{ family: 'Nyland', given: ['Åse'] }] }]);
      expect(ids('testesen')).toEqual([]);
      expect(ids('nyl')).toEqual(['pat-ase']);
    });
  });

  it('answers the hot queries from indexes, never a full scan of resource or outbox', () => {
    const plan = (sql: string, ...params: unknown[]) => cache.explainQueryPlan(sql, ...params).join('\n');
    const plans = {
      getResource: plan(hotQueries.getResource, 'Patient', 'x'),
      patientChart: plan(hotQueries.patientChart, 'x'),
      pendingOutbox: plan(hotQueries.pendingOutbox, 10),
      searchPatients: plan(hotQueries.searchPatients, 'names : "ase"*', 20),
      worklist: plan(hotQueries.worklist, 'gp-list'),
      provenanceFor: plan(hotQueries.provenanceFor, 'Composition/x/_history/1'),
    };
    expect(plans.worklist).toMatch(/SEARCH w USING PRIMARY KEY \(list=\?\)/);
    expect(plans.worklist).toMatch(/SEARCH r USING INDEX sqlite_autoindex_resource_1 \(type=\? AND id=\?\)/);
    expect(plans.provenanceFor).toMatch(/SEARCH resource USING INDEX resource_provenance_target/);
    expect(plans.getResource).toMatch(/SEARCH resource USING INDEX sqlite_autoindex_resource_1 \(type=\? AND id=\?\)/);
    expect(plans.patientChart).toMatch(/SEARCH resource USING INDEX resource_patient \(patient_id=\?\)/);
    expect(plans.pendingOutbox).toMatch(/SEARCH outbox USING (COVERING )?INDEX outbox_state_seq \(state=\?\)/);
    expect(plans.searchPatients).toMatch(/VIRTUAL TABLE INDEX/);
    expect(plans.searchPatients).toMatch(/SEARCH r USING INTEGER PRIMARY KEY \(rowid=\?\)/);
    // No ranking of every match before the limit: a one-letter prefix matches most of the list.
    expect(hotQueries.searchPatients).not.toMatch(/rank/i);
    for (const text of Object.values(plans)) {
      expect(text).not.toMatch(/SCAN (resource|outbox|r)\b/);
      expect(text).not.toMatch(/USE TEMP B-TREE/);
    }
  });

  describe('worklists', () => {
    const appointment = (id: string, patientId: string, start: string): FhirResource => ({
      resourceType: 'Appointment',
      id,
      status: 'booked',
      start,
      participant: [{ actor: { reference: `Patient/${patientId}` }, status: 'accepted' }],
    });

    it('keeps the order it was given, joins cached patients (null when not cached) and says whether a refresh changed it', () => {
      cache.putResources([ase]);
      expect(cache.worklist('today')).toEqual({ rows: [], refreshedAt: null });
      const rows = [
        { patientId: 'pat-bo', appointment: appointment('a1', 'pat-bo', '2026-11-28T08:00:00Z') },
        { patientId: 'pat-ase', appointment: appointment('a2', 'pat-ase', '2026-11-28T09:00:00Z') },
      ];
      expect(cache.replaceWorklist('today', rows, '2026-11-28T07:00:00.000Z')).toBe(true);
      expect(cache.worklist('today')).toEqual({
        rows: [
          { patientId: 'pat-bo', patient: null, appointment: rows[0]?.appointment },
          { patientId: 'pat-ase', patient: ase, appointment: rows[1]?.appointment },
        ],
        refreshedAt: '2026-11-28T07:00:00.000Z',
      });
      expect(cache.replaceWorklist('today', rows, '2026-11-28T07:05:00.000Z')).toBe(false);
      expect(cache.worklist('today').refreshedAt).toBe('2026-11-28T07:05:00.000Z');
      cache.putResources([bo]);
      expect(cache.worklist('today').rows[0]?.patient).toEqual(bo);
      expect(cache.replaceWorklist('today', rows.slice(1), '2026-11-28T07:10:00.000Z')).toBe(true);
      expect(cache.worklist('today').rows.map((row) => row.patientId)).toEqual(['pat-ase']);
      expect(cache.worklist('gp-list')).toEqual({ rows: [], refreshedAt: null });
    });

    it('reads a 2,000-row list in one query, quickly', () => {
      const patients = Array.from({ length: 2_000 }, (_, i) => ({ ...bo, id: `p${i}` }));
      cache.putResources(patients.filter((_, i) => i % 2 === 0));
      cache.replaceWorklist('gp-list', patients.map((p) => ({ patientId: p.id, appointment: null })), '2026-11-28T07:00:00.000Z');
      const started = performance.now();
      const list = cache.worklist('gp-list');
      const elapsed = performance.now() - started;
      expect(list.rows).toHaveLength(2_000);
      expect(list.rows.filter((row) => row.patient !== null)).toHaveLength(1_000);
      expect(elapsed).toBeLessThan(200);
    });
  });

  describe('versions and signatures', () => {
    it('keeps history read from the journal and answers it with the current row, newest first', () => {
      cache.putResources([{ ...bo, meta: { versionId: '3', lastUpdated: '2024-05-03T10:00:00Z' } }]);
      cache.putVersions([
        { ...bo, meta: { versionId: '1', lastUpdated: '2024-05-01T10:00:00Z' } },
        { ...bo, meta: { versionId: '2', lastUpdated: '2024-05-02T10:00:00Z' } },
        { ...bo, meta: { versionId: '3', lastUpdated: '2024-05-03T10:00:00Z' } },
      ]);
      expect(cache.versionsOf('Patient', 'pat-bo').map((v) => [v.versionId, v.lastUpdated])).toEqual([
        ['3', '2024-05-03T10:00:00Z'],
        ['2', '2024-05-02T10:00:00Z'],
        ['1', '2024-05-01T10:00:00Z'],
      ]);
      expect(cache.versionsOf('Patient', 'nobody')).toEqual([]);
    });

    it('finds a Provenance by the exact version it targets', () => {
      const provenance = (id: string, target: string): FhirResource => ({ resourceType: 'Provenance', id, target: [{ reference: target }], recorded: '2024-05-01T10:00:00Z' });
      cache.putResources([provenance('pv1', 'Composition/n1/_history/1'), provenance('pv2', 'Composition/n1/_history/2')]);
      expect(cache.provenancesFor('Composition/n1/_history/2').map((p) => p.id)).toEqual(['pv2']);
      expect(cache.provenancesFor('Composition/n1/_history/3')).toEqual([]);
    });
  });

  describe('local changes', () => {
    it('writes the resource and its outbox row together, and neither when the outbox insert fails', () => {
      cache.putResources([note('n1', 'server', '1')]);
      cache.writeLocalChange({ resource: note('n1', 'first edit', '1'), request: { n: 1 }, clientId: 'same' });
      expect(() => cache.writeLocalChange({ resource: note('n1', 'second edit', '1'), request: { n: 2 }, clientId: 'same' })).toThrow(
        expect.objectContaining({ code: 'DUPLICATE_CLIENT_ID' }) as CacheError,
      );
      expect(cache.getResource('Composition', 'n1')).toEqual(note('n1', 'first edit', '1'));
      expect(cache.pendingOutbox(10).map((item) => item.request)).toEqual([{ n: 1 }]);
    });

    it('keeps a create under a local id until the server names it', () => {
      const draft = note('x', 'ny') as Record<string, unknown>;
      delete draft['id'];
      const item = cache.writeLocalChange({ resource: { ...draft, resourceType: 'Composition' }, request: {}, clientId: 'c-new' });
      expect(item).toMatchObject({ kind: 'create', resourceId: 'local-c-new', patientId: 'pat-ase', state: 'pending' });
      cache.markSent(item.seq, note('srv-1', 'ny', '1'));
      expect(cache.getResource('Composition', 'local-c-new')).toBeUndefined();
      expect(cache.patientChart('pat-ase').map((r) => r.id)).toEqual(['srv-1']);
    });

    it('counts pending, failed and conflicting items, and resolves a conflict either way', () => {
      const at = (n: number) => cache.writeLocalChange({ resource: note(`n${n}`, `t${n}`, '1'), request: { n }, clientId: `c${n}` }).seq;
      const [a, b, c, d] = [at(1), at(2), at(3), at(4)];
      cache.markFailed(a, 'HTTP 422');
      cache.deferRetry(b, new Date('2030-01-01T00:00:00Z'), 'HTTP 503');
      const conflict = cache.recordConflict(c, { n: 3 }, note('n3', 'theirs', '2'));
      const stats = cache.outboxStats();
      expect(stats).toMatchObject({ pending: 2, failed: 1, conflicts: 1 });
      expect(cache.pendingOutbox(10).find((item) => item.seq === b)).toMatchObject({ attempts: 1, nextAttemptAt: '2030-01-01T00:00:00.000Z', lastError: 'HTTP 503' });

      cache.resolveConflict(conflict.id, { keep: 'theirs' });
      expect(cache.getResource('Composition', 'n3')).toEqual(note('n3', 'theirs', '2'));
      expect(cache.conflicts()).toEqual([]);
      const second = cache.recordConflict(d, { n: 4 }, note('n4', 'theirs', '2'));
      cache.resolveConflict(second.id, { keep: 'mine', request: { n: 4, ifMatch: 'W/"2"' } });
      expect(cache.pendingOutbox(10).find((item) => item.seq === d)).toMatchObject({ state: 'pending', request: { n: 4, ifMatch: 'W/"2"' } });
    });

    it('keeps drafts and sync cursors', () => {
      cache.saveDraft({ key: 'note:pat-ase', patientId: 'pat-ase', value: { text: 'halvferdig' } });
      expect(cache.getDraft('note:pat-ase')).toMatchObject({ patientId: 'pat-ase', value: { text: 'halvferdig' } });
      cache.deleteDraft('note:pat-ase');
      expect(cache.getDraft('note:pat-ase')).toBeUndefined();
      expect(cache.getCursor('worklist')).toBeUndefined();
      cache.setCursor('worklist', '2024-06-01T00:00:00Z');
      expect(cache.getCursor('worklist')).toBe('2024-06-01T00:00:00Z');
    });

    it('hands out each patient\'s changes in the order they were made, whatever was sent in between', () => {
      const operation = fc.oneof(
        fc.record({ op: fc.constant('enqueue' as const), patient: fc.constantFrom('p1', 'p2', 'p3') }),
        fc.record({ op: fc.constant('sendOldest' as const), patient: fc.constantFrom('p1', 'p2', 'p3') }),
      );
      fc.assert(
        fc.property(fc.array(operation, { maxLength: 40 }), (operations) => {
          cache.close();
          where.remove();
          where = tempRoot();
          cache = openFor(cards.kari, where).cache;
          const expected = new Map<string, number[]>();
          let counter = 0;
          for (const { op, patient } of operations) {
            const queue = expected.get(patient) ?? [];
            if (op === 'enqueue') {
              counter += 1;
              const resource = { resourceType: 'Observation', id: `o${counter}`, subject: { reference: `Patient/${patient}` } };
              cache.writeLocalChange({ resource, request: { counter }, clientId: `c${counter}` });
              queue.push(counter);
            } else {
              const oldest = cache.pendingOutbox(1000).find((item) => item.patientId === patient);
              if (oldest) {
                cache.markSent(oldest.seq);
                queue.shift();
              }
            }
            expected.set(patient, queue);
          }
          for (const [patient, queue] of expected) {
            const actual = cache
              .pendingOutbox(1000)
              .filter((item) => item.patientId === patient)
              .map((item) => (item.request as { counter: number }).counter);
            expect(actual).toEqual(queue);
          }
        }),
        { numRuns: 25 },
      );
    });
  });
});
