import { afterEach, describe, expect, it } from 'vitest';
import { databaseKinds, openTestDatabase } from '../test-support/test-databases';
import type { Database } from './database';
import { currentVersion, migrate, NewerDatabaseError } from './migration';
import { migrations } from './migrations';
import { verifyAuditChain } from '../audit/audit-verify';

const open: Database[] = [];
const fresh = async (kind: (typeof databaseKinds)[number]): Promise<Database> => {
  const db = await openTestDatabase(kind);
  open.push(db);
  return db;
};
afterEach(async () => {
  for (const db of open.splice(0)) {
    await db.close();
  }
});

const tables = async (db: Database): Promise<string[]> =>
  (await db.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")).rows.map(
    (row) => row.tablename,
  );

describe.each(databaseKinds)('migrations on %s', (kind) => {
  it('brings an empty database to the newest version, and running again changes nothing', async () => {
    const db = await fresh(kind);
    expect(await migrate(db, migrations)).toEqual({ from: 0, to: migrations.length });
    expect(await migrate(db, migrations)).toEqual({ from: migrations.length, to: migrations.length });
    expect(await currentVersion(db)).toBe(migrations.length);
  });

  it('0001 creates the current and history tables', async () => {
    const db = await fresh(kind);
    await migrate(db, migrations.slice(0, 1));
    expect(await tables(db)).toEqual(['resource', 'resource_history', 'schema_migrations']);
  });

  it('0002 upgrades a version-1 database and indexes the resources already in it', async () => {
    const db = await fresh(kind);
    await migrate(db, migrations.slice(0, 1));
    const patient = { resourceType: 'Patient', id: 'p1', name: [{ family: 'Ærlig', given: ['Åse'] }], meta: { versionId: '1' } };
    await db.query(
      "INSERT INTO resource (resource_type, id, version_id, last_updated, content) VALUES ('Patient', 'p1', 1, now(), $1::jsonb)",
      [JSON.stringify(patient)],
    );
    await migrate(db, migrations.slice(0, 2));
    const { rows } = await db.query<{ value: string }>(
      "SELECT value FROM search_string WHERE resource_type = 'Patient' AND id = 'p1' AND param = 'family'",
    );
    expect(rows.map((row) => row.value)).toEqual(['aerlig']);
  });

  it('0003 upgrades a version-2 database with the audit log', async () => {
    const db = await fresh(kind);
    await migrate(db, migrations.slice(0, 2));
    expect(await tables(db)).not.toContain('audit_log');
    await migrate(db, migrations.slice(0, 3));
    expect(await tables(db)).toContain('audit_log');
  });

  it('0004 upgrades a version-3 database with the history-by-type index', async () => {
    const db = await fresh(kind);
    await migrate(db, migrations.slice(0, 3));
    const indexes = async (): Promise<string[]> =>
      (await db.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE tablename = 'resource_history'")).rows.map((r) => r.indexname);
    expect(await indexes()).not.toContain('resource_history_type_seq');
    await migrate(db, migrations.slice(0, 4));
    expect(await indexes()).toContain('resource_history_type_seq');
  });

  it('0005 upgrades a version-4 database and then refuses a second patient with the same national id', async () => {
    const db = await fresh(kind);
    await migrate(db, migrations.slice(0, 4));
    const insert = (id: string) =>
      db.query(
        "INSERT INTO search_token (resource_type, id, param, system, code) VALUES ('Patient', $1, 'identifier', 'urn:oid:2.16.578.1.12.4.1.4.1', '15898010020')",
        [id],
      );
    await insert('a');
    await migrate(db, migrations.slice(0, 5));
    await expect(insert('b')).rejects.toThrow(/duplicate key|unique/i);
  });

  it('0006 upgrades a version-5 database and then refuses a second Practitioner with the same HPR number', async () => {
    const db = await fresh(kind);
    await migrate(db, migrations.slice(0, 5));
    const insert = (id: string, hpr = '123456789') =>
      db.query(
        "INSERT INTO search_token (resource_type, id, param, system, code) VALUES ('Practitioner', $1, 'identifier', 'urn:oid:2.16.578.1.12.4.1.4.4', $2)",
        [id, hpr],
      );
    await insert('a');
    await migrate(db, migrations.slice(0, 6));
    await expect(insert('b')).rejects.toThrow(/duplicate key|unique/i);
    await insert('c', '987654321');
  });

  it('0006 refuses a directory that already has two Practitioners with one HPR number, naming them', async () => {
    const db = await fresh(kind);
    await migrate(db, migrations.slice(0, 5));
    for (const id of ['first', 'planted']) {
      await db.query(
        "INSERT INTO search_token (resource_type, id, param, system, code) VALUES ('Practitioner', $1, 'identifier', 'urn:oid:2.16.578.1.12.4.1.4.4', '123456789')",
        [id],
      );
    }
    await expect(migrate(db, migrations.slice(0, 6))).rejects.toThrow(/HPR 123456789: Practitioner first, planted/);
    expect(await currentVersion(db)).toBe(5);
  });

  it('0007 upgrades a version-6 database: audit rows already there keep their values and get no reason or subject; a login row records both', async () => {
    const db = await fresh(kind);
    await migrate(db, migrations.slice(0, 6));
    await db.query("INSERT INTO audit_log (principal, interaction, resource_type, resource_id, patient_id, outcome) VALUES ('anonymous', 'read', 'Patient', 'p1', 'p1', 200)");
    await migrate(db, migrations.slice(0, 7));
    await db.query(
      "INSERT INTO audit_log (principal, interaction, outcome, reason, subject) VALUES ('anonymous', 'login', 401, 'bad-signature', 'CN=Kari Nordmann')",
    );
    const { rows } = await db.query<{ interaction: string; patient_id: string | null; reason: string | null; subject: string | null }>(
      'SELECT interaction, patient_id, reason, subject FROM audit_log ORDER BY seq',
    );
    expect(rows).toEqual([
      { interaction: 'read', patient_id: 'p1', reason: null, subject: null },
      { interaction: 'login', patient_id: null, reason: 'bad-signature', subject: 'CN=Kari Nordmann' },
    ]);
  });

  it('0008 upgrades a version-7 database: the name rows already there are found through the new prefix index, which replaces the old one', async () => {
    const db = await fresh(kind);
    await migrate(db, migrations.slice(0, 7));
    for (const [id, value] of [['p1', 'aerlig'], ['p1', 'aerlig ase'], ['p2', 'berg']]) {
      await db.query("INSERT INTO search_string (resource_type, id, param, value) VALUES ('Patient', $1, 'name', $2)", [id, value]);
    }
    // Other patients, so that the planner with statistics prefers a prefix lookup to reading all patients' rows.
    await db.query("INSERT INTO search_string (resource_type, id, param, value) SELECT 'Patient', 'q' || n, 'name', 'navn' || n FROM generate_series(1, 500) AS n");
    await migrate(db, migrations.slice(0, 8));
    await db.exec('ANALYZE search_string');
    const indexes = (await db.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE tablename = 'search_string' ORDER BY indexname")).rows.map(
      (row) => row.indexname,
    );
    expect(indexes).toContain('search_string_prefix_id');
    expect(indexes).not.toContain('search_string_prefix');
    const lookup = "SELECT DISTINCT id FROM search_string WHERE resource_type = 'Patient' AND param = 'name' AND value LIKE 'aer%'";
    const plan = await db.transaction(async (tx) => {
      await tx.query('SET LOCAL enable_seqscan = off');
      return (await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${lookup}`)).rows.map((row) => row['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('search_string_prefix_id');
    expect((await db.query<{ id: string }>(lookup)).rows).toEqual([{ id: 'p1' }]);
  });

  it('0009 upgrades a version-8 database: audit rows already there are chained oldest first, and the log becomes append-only', async () => {
    const db = await fresh(kind);
    await migrate(db, migrations.slice(0, 8));
    await db.query("INSERT INTO audit_log (principal, interaction, patient_id, outcome) VALUES ('anonymous', 'read', 'p1', 200), ('anonymous', 'search', 'p2', 403)");
    await migrate(db, migrations.slice(0, 9));
    const { rows } = await db.query<{ seq: string; prev_hash: string; hash: string }>('SELECT seq, prev_hash, hash FROM audit_log ORDER BY seq');
    expect(rows[0]?.prev_hash).toBe('genesis');
    expect(rows[1]?.prev_hash).toBe(rows[0]?.hash);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, records: 2 });
    await db.query("INSERT INTO audit_log (principal, interaction, outcome) VALUES ('anonymous', 'read', 200)");
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, records: 3 });
    await expect(db.query('UPDATE audit_log SET outcome = 200')).rejects.toThrow(/append-only/);
    expect(await tables(db)).toEqual(expect.arrayContaining(['access_block', 'access_grant']));
  });

  it('refuses a database from a newer server, and changes nothing in it', async () => {
    const db = await fresh(kind);
    await migrate(db, migrations);
    await db.query("INSERT INTO schema_migrations (version, name) VALUES ($1, 'from-the-future')", [migrations.length + 1]);
    await expect(migrate(db, migrations)).rejects.toThrow(NewerDatabaseError);
    await expect(migrate(db, migrations)).rejects.toThrow(/newer than this server understands/);
    expect(await currentVersion(db)).toBe(migrations.length + 1);
  });

  it('rolls a failing migration back completely', async () => {
    const db = await fresh(kind);
    const broken = [
      ...migrations,
      {
        version: migrations.length + 1,
        name: 'broken',
        async up(tx: Parameters<(typeof migrations)[number]['up']>[0]) {
          await tx.exec('CREATE TABLE half_done (x int)');
          throw new Error('boom');
        },
      },
    ];
    await expect(migrate(db, broken)).rejects.toThrow('boom');
    expect(await currentVersion(db)).toBe(migrations.length);
    expect(await tables(db)).not.toContain('half_done');
  });
});
