import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CacheError } from './cache-errors';
import { ase, openFor, openTestCards, tempRoot } from './cache-test-support';
import { migrate, migrations, schemaVersion, type Migration } from './migrations';

describe('migration 2 (outbox queue index)', () => {
  it('upgrades a version 1 database with data to version 2, keeping the data', () => {
    const where = tempRoot();
    try {
      const db = new Database(join(where.root, 'v1.db'));
      migrate(db, { target: 1 });
      expect(schemaVersion(db)).toBe(1);
      db.prepare("INSERT INTO resource (type, id, version_id, patient_id, json) VALUES ('Patient', 'p1', '1', 'p1', '{}')").run();
      db.prepare(
        "INSERT INTO outbox (kind, resource_type, resource_id, request_json, client_id, created_at) VALUES ('create', 'Composition', 'c1', '{}', 'k1', '2024-01-01T00:00:00Z')",
      ).run();

      expect(migrate(db, { target: 2 })).toEqual({ from: 1, to: 2 });
      const indexes = db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ('outbox_state_seq', 'conflict_outbox')").all();
      expect(indexes).toHaveLength(2);
      expect(db.prepare('SELECT count(*) AS n FROM resource').get()).toEqual({ n: 1 });
      expect(db.prepare('SELECT client_id FROM outbox').all()).toEqual([{ client_id: 'k1' }]);
      db.close();
    } finally {
      where.remove();
    }
  });
});

describe('migration 3 (outbox resource index)', () => {
  it('upgrades a version 2 database with queued changes to version 3, keeping them, and the queued-change check uses the index', () => {
    const where = tempRoot();
    try {
      const db = new Database(join(where.root, 'v2.db'));
      migrate(db, { target: 2 });
      db.prepare(
        "INSERT INTO outbox (kind, resource_type, resource_id, request_json, client_id, created_at) VALUES ('update', 'MedicationStatement', 'm1', '{}', 'k1', '2024-01-01T00:00:00Z')",
      ).run();
      const plan = () =>
        (db.prepare('EXPLAIN QUERY PLAN SELECT 1 FROM outbox WHERE resource_type = ? AND resource_id = ? LIMIT 1').all('MedicationStatement', 'm1') as { detail: string }[])
          .map((row) => row.detail)
          .join(' | ');
      expect(plan()).not.toContain('outbox_resource');

      expect(migrate(db, { target: 3 })).toEqual({ from: 2, to: 3 });
      expect(plan()).toContain('USING COVERING INDEX outbox_resource');
      expect(db.prepare('SELECT client_id FROM outbox').all()).toEqual([{ client_id: 'k1' }]);
      db.close();
    } finally {
      where.remove();
    }
  });
});

describe('migration 4 (worklists, versions, Provenance by target)', () => {
  it('upgrades a version 3 database with cached resources and queued changes to version 4, keeping them, and finds Provenances by target through the index', () => {
    const where = tempRoot();
    try {
      const db = new Database(join(where.root, 'v3.db'));
      migrate(db, { target: 3 });
      db.prepare("INSERT INTO resource (type, id, version_id, patient_id, json) VALUES ('Patient', 'p1', '1', 'p1', '{}')").run();
      db.prepare(
        `INSERT INTO resource (type, id, version_id, json) VALUES ('Provenance', 'pv1', '1', '{"resourceType":"Provenance","target":[{"reference":"Composition/c1/_history/1"}]}')`,
      ).run();
      db.prepare(
        "INSERT INTO outbox (kind, resource_type, resource_id, request_json, client_id, created_at) VALUES ('create', 'Composition', 'c1', '{}', 'k1', '2024-01-01T00:00:00Z')",
      ).run();

      expect(migrate(db)).toEqual({ from: 3, to: 4 });
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('worklist', 'worklist_row', 'resource_version') ORDER BY name").all();
      expect(tables).toEqual([{ name: 'resource_version' }, { name: 'worklist' }, { name: 'worklist_row' }]);
      const provenance = "SELECT id FROM resource WHERE type = 'Provenance' AND json_extract(json, '$.target[0].reference') = ?";
      expect(db.prepare(provenance).all('Composition/c1/_history/1')).toEqual([{ id: 'pv1' }]);
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${provenance}`).all('x') as { detail: string }[]).map((row) => row.detail).join(' | ');
      expect(plan).toContain('resource_provenance_target');
      expect(db.prepare('SELECT count(*) AS n FROM resource').get()).toEqual({ n: 2 });
      expect(db.prepare('SELECT client_id FROM outbox').all()).toEqual([{ client_id: 'k1' }]);
      db.close();
    } finally {
      where.remove();
    }
  });
});

describe('a cache written by a newer version of the app', () => {
  let cards: ReturnType<typeof openTestCards>;
  beforeAll(() => {
    cards = openTestCards();
  });
  afterAll(() => cards.close());

  it('is refused with NEWER_SCHEMA and left byte for byte as it was', () => {
    const where = tempRoot();
    try {
      const future: Migration = { version: migrations.length + 1, name: 'from-the-future', up: (db) => db.exec('CREATE TABLE future (x)') };
      const newer = openFor(cards.kari, where, { migrations: [...migrations, future] });
      newer.cache.putResources([ase]);
      newer.cache.close();
      const snapshot = () => Object.fromEntries(readdirSync(newer.cache.folder).map((name) => [name, readFileSync(join(newer.cache.folder, name))]));
      const before = snapshot();

      expect(() => openFor(cards.kari, where)).toThrow(expect.objectContaining({ code: 'NEWER_SCHEMA' }) as CacheError);
      expect(snapshot()).toEqual(before);
    } finally {
      where.remove();
    }
  });
});
