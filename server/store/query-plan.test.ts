import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database, Queryable } from '../db/database';
import { migrate } from '../db/migration';
import { migrations } from '../db/migrations';
import { everything } from './visibility';
import { ResourceStore } from './resource-store';
import { parseSearch } from './search-query';
import { databaseKinds, openTestDatabase } from '../test-support/test-databases';

interface Captured {
  text: string;
  params: readonly unknown[];
}

/** Runs the store against a database that records every SELECT it is asked. */
const recording = (db: Database, captured: Captured[]): Database => {
  const record = (target: Queryable): Queryable => ({
    query: (text, params) => {
      if (/^\s*SELECT/i.test(text)) {
        captured.push({ text, params: params ?? [] });
      }
      return target.query(text, params);
    },
    exec: (script) => target.exec(script),
  });
  return { ...db, ...record(db), transaction: (work) => db.transaction((tx) => work(record(tx))) };
};

/**
 * The plan each hot query gets when the planner may not scan a whole table: if no index serves
 * it, PostgreSQL still falls back to a Seq Scan, and the test fails. So a dropped or mistyped
 * index fails CI instead of a clinic.
 */
const plan = async (db: Database, query: Captured): Promise<string> =>
  db.transaction(async (tx) => {
    await tx.query('SET LOCAL enable_seqscan = off');
    const { rows } = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${query.text}`, query.params);
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  });

describe.each(databaseKinds)('hot queries stay on indexes (%s)', (kind) => {
  let db: Database;
  let rec: Database;
  let store: ResourceStore;
  const captured: Captured[] = [];
  beforeAll(async () => {
    db = await openTestDatabase(kind);
    await migrate(db, migrations);
    rec = recording(db, captured);
    store = new ResourceStore(rec);
    await db.transaction(async (tx) => {
      const patient = await store.create(tx, 'Patient', { name: [{ family: 'Indeks', given: ['Ida'] }], birthDate: '1970-01-01' }, 'p1');
      await store.create(tx, 'Condition', { subject: { reference: `Patient/${patient.id}` }, code: { coding: [{ code: 'T90' }] } });
      // Many matches of one name, for the paging test below.
      for (let n = 0; n < 40; n += 1) {
        await store.create(tx, 'Patient', { name: [{ family: 'Sidevis', given: ['Pa', `Nr${n}`] }] }, `page-${String(n).padStart(2, '0')}`);
      }
    });
  });
  afterAll(async () => {
    await db.close();
  });

  const plansOf = async (run: () => Promise<unknown>): Promise<string[]> => {
    captured.length = 0;
    await run();
    return Promise.all(captured.map((query) => plan(db, query)));
  };

  it.each([
    ['name-prefix search', 'Patient', [['name', 'ind']], 'search_string_prefix_id'],
    ['two-part name search', 'Patient', [['name', 'ind'], ['name', 'ida']], 'search_string_prefix_id'],
    ['name and birth date search', 'Patient', [['name', 'ind'], ['birthdate', '1970-01-01']], 'search_string_prefix_id'],
    ['identifier search', 'Patient', [['identifier', 'urn:oid:2.16.578.1.12.4.1.4.1|15898010020']], /search_token_lookup|patient_national_id_unique/],
    ['patient compartment search', 'Condition', [['patient', 'p1']], 'search_reference_target'],
    ['birth date search', 'Patient', [['birthdate', 'ge1960-01-01']], 'search_date_lo'],
  ] as const)('%s on %s uses its index', async (_name, type, query, index) => {
    const plans = await plansOf(() => store.search(rec, parseSearch(type, query.map(([k, v]) => [k, v])), everything));
    const matchQuery = plans[0] ?? '';
    expect(matchQuery).toMatch(index);
    expect(matchQuery).not.toMatch(/Seq Scan on (resource|search_\w+)\b/);
  });

  /**
   * The as-you-type name search: a common prefix matches thousands of patients, and the page must
   * not cost a resource lookup per match. Measured, not just planned: the primary key is probed
   * only for the rows of the page (plus the one that tells there is a next page).
   */
  it.each([
    ['one name part', [['name', 'sidevis']]],
    ['two name parts', [['name', 'sidevis'], ['name', 'pa']]],
  ] as const)('a name search with many matches reads only its page from resource (%s)', async (_name, query) => {
    captured.length = 0;
    const result = await store.search(rec, parseSearch('Patient', [...query.map(([k, v]): [string, string] => [k, v]), ['_count', '5'], ['_offset', '5']]), everything);
    expect(result.matches.map((m) => m.id)).toEqual(['page-05', 'page-06', 'page-07', 'page-08', 'page-09']);
    const [match] = captured;
    const analysed = await db.transaction(async (tx) => {
      await tx.query('SET LOCAL enable_seqscan = off');
      const { rows } = await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ANALYZE ${match?.text ?? ''}`, match?.params);
      return rows.map((row) => row['QUERY PLAN']).join('\n');
      });
      expect(analysed).toContain('search_string_prefix_id');
      expect(analysed).not.toMatch(/Seq Scan/);
      const probes = /resource_pkey on resource r .*loops=(\d+)/.exec(analysed)?.[1];
      // _offset 5 + _count 5 + 1 to tell there is a next page; not 40.
      expect(Number(probes)).toBe(11);
  });

  it('$everything uses the reference index and the primary key', async () => {
    const plans = await plansOf(() => store.everything(rec, 'p1', undefined, everything));
    const compartment = plans.find((p) => p.includes('search_reference')) ?? '';
    expect(compartment).toContain('search_reference_target');
    expect(compartment).not.toMatch(/Seq Scan/);
  });

  it('type history pages newest first on the history-by-type index', async () => {
    const plans = await plansOf(() => store.history(rec, { resourceType: 'Condition', count: 50 }, everything));
    expect(plans[0]).toContain('resource_history_type_seq');
    expect(plans[0]).not.toMatch(/Seq Scan on resource_history/);
  });

  it('read by id uses the primary key', async () => {
    const plans = await plansOf(() => store.read(rec, 'Patient', 'p1', everything));
    expect(plans[0]).toContain('resource_pkey');
  });
});
