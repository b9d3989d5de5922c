import type { Migration } from '../migrations';

/**
 * The first schema. `resource` holds one row per (type, id): the newest version we know, so a
 * repeated (type, id, versionId) is a no-op by construction (cache-store.ts compares versions).
 * `local_seq` marks a row that holds an unsynced local change, so a pull does not overwrite it.
 * `patient_search` is FTS5 over folded names and digit identifiers; its rowid is the resource
 * row's rowid, so an update replaces exactly one entry. prefix='1 2 3' keeps short as-you-type
 * prefixes as fast as whole words.
 */
export const migration0001: Migration = {
  version: 1,
  name: 'initial',
  up: (db) => {
    db.exec(`
      CREATE TABLE resource (
        type TEXT NOT NULL,
        id TEXT NOT NULL,
        version_id TEXT,
        patient_id TEXT,
        last_updated TEXT,
        json TEXT NOT NULL,
        local_seq INTEGER,
        PRIMARY KEY (type, id)
      );
      CREATE INDEX resource_patient ON resource (patient_id, type, id) WHERE patient_id IS NOT NULL;

      CREATE VIRTUAL TABLE patient_search USING fts5 (
        names,
        identifiers,
        tokenize = 'unicode61 remove_diacritics 0',
        prefix = '1 2 3'
      );

      CREATE TABLE outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        patient_id TEXT,
        kind TEXT NOT NULL,
        resource_type TEXT NOT NULL,
        resource_id TEXT NOT NULL,
        request_json TEXT NOT NULL,
        client_id TEXT NOT NULL UNIQUE,
        state TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'failed', 'conflict')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TEXT,
        last_error TEXT,
        created_at TEXT NOT NULL
      );

      CREATE TABLE draft (
        key TEXT PRIMARY KEY,
        patient_id TEXT,
        json TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE sync_cursor (
        scope TEXT PRIMARY KEY,
        cursor TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE conflict (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        outbox_seq INTEGER NOT NULL REFERENCES outbox (seq) ON DELETE CASCADE,
        resource_type TEXT NOT NULL,
        resource_id TEXT NOT NULL,
        mine_json TEXT NOT NULL,
        theirs_json TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
    `);
  },
};
