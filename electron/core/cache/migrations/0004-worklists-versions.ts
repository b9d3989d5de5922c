import type { Migration } from '../migrations';

/**
 * The journal UI's read side, kept on this PC so it answers at once and offline:
 * - `worklist` / `worklist_row`: today's appointments and the GP list as last fetched, in display
 *   order (`position`), today's rows with their Appointment. Patients are not copied here: a row
 *   joins the cached Patient by id, so a chart pulled later shows up without touching the list.
 *   `digest` tells a refresh that changed the list from one that did not.
 * - `resource_version`: older versions read from the journal's `_history`, for the history view
 *   offline (`resource` holds only the newest version of each resource).
 * - `resource_provenance_target`: a signature's Provenance is found by the version it targets
 *   (`Composition/1/_history/2`); Provenances have no patient reference, so without this index the
 *   lookup would read every Provenance in the cache.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'worklists-versions',
  up: (db) => {
    db.exec(`
      CREATE TABLE worklist (
        list TEXT PRIMARY KEY,
        refreshed_at TEXT NOT NULL,
        digest TEXT NOT NULL
      );
      CREATE TABLE worklist_row (
        list TEXT NOT NULL REFERENCES worklist (list) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        patient_id TEXT NOT NULL,
        appointment_json TEXT,
        PRIMARY KEY (list, position)
      ) WITHOUT ROWID;

      CREATE TABLE resource_version (
        type TEXT NOT NULL,
        id TEXT NOT NULL,
        version_id TEXT NOT NULL,
        last_updated TEXT,
        json TEXT NOT NULL,
        PRIMARY KEY (type, id, version_id)
      ) WITHOUT ROWID;

      CREATE INDEX resource_provenance_target ON resource (json_extract(json, '$.target[0].reference')) WHERE type = 'Provenance';
    `);
  },
};
