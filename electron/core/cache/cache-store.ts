import { createHash } from 'node:crypto';
import type { Database, Statement } from 'better-sqlite3-multiple-ciphers';
import type { PatientQuery } from '../../../shared/patient-search/parse-patient-query';
import { CacheError } from './cache-errors';
import { isNewerVersion, patientIdOf, type FhirResource } from './cached-resource';
import { parsedMatchExpression, patientMatchExpression, patientSearchFields } from './patient-search';

export type OutboxState = 'pending' | 'failed' | 'conflict';
export type OutboxKind = 'create' | 'update' | 'delete' | 'transaction';

export interface OutboxItem {
  seq: number;
  patientId: string | null;
  kind: OutboxKind;
  resourceType: string;
  resourceId: string;
  /** What the sync engine sends (method, url, headers, body, bundle): opaque to the cache. */
  request: unknown;
  clientId: string;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  createdAt: string;
}

export interface LocalChange {
  resource: FhirResource;
  request: unknown;
  /** Defaults to the patient the resource refers to. */
  patientId?: string | null;
  /** The client-generated identifier that makes the push idempotent; unique in the outbox. */
  clientId: string;
  /** Defaults to 'update' when the resource has a versionId, else 'create'. */
  kind?: OutboxKind;
}

export interface ConflictRecord {
  id: number;
  outboxSeq: number;
  resourceType: string;
  resourceId: string;
  mine: unknown;
  theirs: FhirResource;
  createdAt: string;
}

export type ConflictResolution =
  /** Send mine again, with a request the engine rebuilt on top of theirs (new If-Match). */
  | { keep: 'mine'; request: unknown }
  /** Drop my change; theirs becomes the cached version. */
  | { keep: 'theirs' };

export interface OutboxStats {
  pending: number;
  oldestPendingCreatedAt: string | null;
  failed: number;
  conflicts: number;
}

export interface Draft {
  key: string;
  patientId: string | null;
  value: unknown;
  updatedAt: string;
}

/** One row of a stored worklist: the Patient when cached (null until its chart is pulled), and on today's list the Appointment. */
export interface StoredWorklistRow {
  patientId: string;
  patient: FhirResource | null;
  appointment: FhirResource | null;
}

export interface StoredWorklist {
  rows: StoredWorklistRow[];
  refreshedAt: string | null;
}

export interface StoredVersion {
  versionId: string;
  lastUpdated: string | null;
  resource: FhirResource;
}

export interface PutResult {
  written: number;
  unchanged: number;
  /** Rows holding an unsynced local change: the outbox, not a pull, decides what they become. */
  keptLocal: number;
}

interface ResourceRow {
  rowid: number;
  version_id: string | null;
  last_updated: string | null;
  local_seq: number | null;
}

export interface OutboxRow {
  seq: number;
  patient_id: string | null;
  kind: OutboxKind;
  resource_type: string;
  resource_id: string;
  request_json: string;
  client_id: string;
  state: OutboxState;
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  created_at: string;
}

export const toOutboxItem = (row: OutboxRow): OutboxItem => ({
  seq: row.seq,
  patientId: row.patient_id,
  kind: row.kind,
  resourceType: row.resource_type,
  resourceId: row.resource_id,
  request: JSON.parse(row.request_json) as unknown,
  clientId: row.client_id,
  state: row.state,
  attempts: row.attempts,
  nextAttemptAt: row.next_attempt_at,
  lastError: row.last_error,
  createdAt: row.created_at,
});

const parse = (json: string): FhirResource => JSON.parse(json) as FhirResource;

/** The hot queries, named so the EXPLAIN QUERY PLAN test pins exactly what runs. */
export const hotQueries = {
  getResource: 'SELECT json FROM resource WHERE type = ? AND id = ?',
  patientChart: 'SELECT json FROM resource WHERE patient_id = ? ORDER BY type, id',
  pendingOutbox: "SELECT * FROM outbox WHERE state = 'pending' ORDER BY seq LIMIT ?",
  // No ORDER BY rank: FTS5 would rank every match before the LIMIT (a one-letter prefix matches
  // tens of thousands), and rank says little for prefixes anyway. The few hits are sorted by name.
  searchPatients: 'SELECT r.json FROM resource r WHERE r.rowid IN (SELECT rowid FROM patient_search WHERE patient_search MATCH ? LIMIT ?)',
  // One query for the whole list (1,500+ rows on a large GP list), each row joined to its cached
  // Patient through the primary key.
  worklist: `SELECT w.patient_id, w.appointment_json, r.json AS patient_json FROM worklist_row w
    LEFT JOIN resource r ON r.type = 'Patient' AND r.id = w.patient_id WHERE w.list = ? ORDER BY w.position`,
  provenanceFor: "SELECT json FROM resource WHERE type = 'Provenance' AND json_extract(json, '$.target[0].reference') = ?",
} as const;

/**
 * The repository the sync engine and the contract calls use: synchronous (better-sqlite3), each
 * method one transaction. Every local change is written with its outbox row in the same
 * transaction, so "saved" on screen means it is on disk and will be sent.
 */
/** Family name, then given names, then birth date: how a clinician scans a hit list. */
const nameKey = (patient: FhirResource): string => {
  const name = (patient['name'] as { family?: string; given?: string[] }[] | undefined)?.[0];
  return `${name?.family ?? ''}\u0000${(name?.given ?? []).join(' ')}\u0000${typeof patient['birthDate'] === 'string' ? patient['birthDate'] : ''}`;
};
const byName = (a: FhirResource, b: FhirResource): number => nameKey(a).localeCompare(nameKey(b), 'nb');

/** Where markSent keeps the server's latest version of a resource this workstation sent. */
export const serverVersionScope = (type: string, id: string): string => `server-version:${type}/${id}`;

export class CacheStore {
  private readonly statements: {
    getResource: Statement<[string, string], { json: string }>;
    resourceRow: Statement<[string, string], ResourceRow>;
    upsert: Statement<[string, string, string | null, string | null, string | null, string, number | null], { rowid: number }>;
    deleteResource: Statement<[string, string], { rowid: number }>;
    ftsDelete: Statement<[number]>;
    ftsInsert: Statement<[number, string, string]>;
    patientChart: Statement<[string], { json: string }>;
    searchPatients: Statement<[string, number], { json: string }>;
    worklist: Statement<[string], { patient_id: string; appointment_json: string | null; patient_json: string | null }>;
    provenanceFor: Statement<[string], { json: string }>;
    insertOutbox: Statement<[string | null, OutboxKind, string, string, string, string, OutboxState, number, string | null, string | null, string]>;
    pendingOutbox: Statement<[number], OutboxRow>;
    outboxRow: Statement<[number], OutboxRow>;
    deleteOutbox: Statement<[number]>;
  };

  constructor(
    private readonly db: Database,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.statements = {
      getResource: db.prepare(hotQueries.getResource),
      resourceRow: db.prepare('SELECT rowid, version_id, last_updated, local_seq FROM resource WHERE type = ? AND id = ?'),
      upsert: db.prepare(`
        INSERT INTO resource (type, id, version_id, patient_id, last_updated, json, local_seq) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (type, id) DO UPDATE SET version_id = excluded.version_id, patient_id = excluded.patient_id,
          last_updated = excluded.last_updated, json = excluded.json, local_seq = excluded.local_seq
        RETURNING rowid`),
      deleteResource: db.prepare('DELETE FROM resource WHERE type = ? AND id = ? RETURNING rowid'),
      ftsDelete: db.prepare('DELETE FROM patient_search WHERE rowid = ?'),
      ftsInsert: db.prepare('INSERT INTO patient_search (rowid, names, identifiers) VALUES (?, ?, ?)'),
      patientChart: db.prepare(hotQueries.patientChart),
      searchPatients: db.prepare(hotQueries.searchPatients),
      worklist: db.prepare(hotQueries.worklist),
      provenanceFor: db.prepare(hotQueries.provenanceFor),
      insertOutbox: db.prepare(`
        INSERT INTO outbox (patient_id, kind, resource_type, resource_id, request_json, client_id, state, attempts, next_attempt_at, last_error, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
      pendingOutbox: db.prepare(hotQueries.pendingOutbox),
      outboxRow: db.prepare('SELECT * FROM outbox WHERE seq = ?'),
      deleteOutbox: db.prepare('DELETE FROM outbox WHERE seq = ?'),
    };
  }

  private timestamp(): string {
    return this.now().toISOString();
  }

  /** Writes one row and keeps the patient search index in step with it. */
  private writeRow(type: string, id: string, resource: FhirResource, localSeq: number | null): void {
    const patientId = patientIdOf(resource);
    const row = this.statements.upsert.get(
      type,
      id,
      resource.meta?.versionId ?? null,
      patientId,
      resource.meta?.lastUpdated ?? null,
      JSON.stringify(resource),
      localSeq,
    );
    if (row && type === 'Patient') {
      const fields = patientSearchFields(resource);
      this.statements.ftsDelete.run(row.rowid);
      this.statements.ftsInsert.run(row.rowid, fields.names, fields.identifiers);
    }
  }

  private removeRow(type: string, id: string): void {
    const row = this.statements.deleteResource.get(type, id);
    if (row && type === 'Patient') {
      this.statements.ftsDelete.run(row.rowid);
    }
  }

  /** Server versions, de-duplicated by (type, id, versionId); an older version never replaces a newer one. */
  putResources(resources: readonly FhirResource[]): PutResult {
    return this.db.transaction(() => {
      const result: PutResult = { written: 0, unchanged: 0, keptLocal: 0 };
      for (const resource of resources) {
        if (resource.id === undefined) {
          throw new TypeError(`a ${resource.resourceType} from the server has no id`);
        }
        const existing = this.statements.resourceRow.get(resource.resourceType, resource.id);
        if (existing !== undefined && existing.local_seq !== null) {
          result.keptLocal += 1;
        } else if (
          existing &&
          !isNewerVersion(
            { versionId: resource.meta?.versionId ?? null, lastUpdated: resource.meta?.lastUpdated ?? null },
            { versionId: existing.version_id, lastUpdated: existing.last_updated },
          )
        ) {
          result.unchanged += 1;
        } else {
          this.writeRow(resource.resourceType, resource.id, resource, null);
          result.written += 1;
        }
      }
      return result;
    })();
  }

  /**
   * Removes what this PC holds of a patient's record beyond demographics, except local changes
   * not yet sent and the resources in `keep` (`Type/id`): what the journal no longer allows this
   * clinician (a grant expired, a block was added) must not stay readable here, offline or not.
   * Returns how many rows went.
   */
  dropPatientRecord(patientId: string, keep: ReadonlySet<string> = new Set()): number {
    return this.db.transaction(() => {
      const rows = this.db
        .prepare("SELECT type, id FROM resource WHERE patient_id = ? AND type <> 'Patient' AND local_seq IS NULL")
        .all(patientId) as { type: string; id: string }[];
      const remove = this.db.prepare('DELETE FROM resource WHERE type = ? AND id = ?');
      let dropped = 0;
      for (const row of rows) {
        if (!keep.has(`${row.type}/${row.id}`)) {
          remove.run(row.type, row.id);
          dropped += 1;
        }
      }
      return dropped;
    })();
  }

  getResource(type: string, id: string): FhirResource | undefined {
    const row = this.statements.getResource.get(type, id);
    return row ? parse(row.json) : undefined;
  }

  /** The Patient and everything cached that refers to them, from one indexed query. */
  patientChart(patientId: string): FhirResource[] {
    return this.statements.patientChart.all(patientId).map((row) => parse(row.json));
  }

  /**
   * As-you-type search (shared/patient-search reads the query): name parts in any order as
   * accent-folded prefixes, a national id or full birth date exactly, other digits as a prefix.
   */
  searchPatients(query: string | PatientQuery, limit = 20): FhirResource[] {
    const match = typeof query === 'string' ? patientMatchExpression(query) : parsedMatchExpression(query);
    return match === null ? [] : this.statements.searchPatients.all(match, limit).map((row) => parse(row.json)).sort(byName);
  }

  /**
   * The local resource and its outbox row in ONE transaction: durable before the UI says "saved", and
   * if the outbox insert fails (e.g. the same client id twice) the resource row is not changed either.
   * A resource without an id (a create) is kept under `local-<clientId>` until the server names it.
   */
  writeLocalChange(change: LocalChange): OutboxItem {
    const { resource, clientId } = change;
    const resourceId = resource.id ?? `local-${clientId}`;
    const kind = change.kind ?? (resource.meta?.versionId === undefined ? 'create' : 'update');
    const patientId = change.patientId === undefined ? patientIdOf(resource) : change.patientId;
    try {
      return this.db.transaction(() => {
        const createdAt = this.timestamp();
        const { lastInsertRowid } = this.statements.insertOutbox.run(
          patientId,
          kind,
          resource.resourceType,
          resourceId,
          JSON.stringify(change.request),
          clientId,
          'pending',
          0,
          null,
          null,
          createdAt,
        );
        const seq = Number(lastInsertRowid);
        this.writeRow(resource.resourceType, resourceId, resource, seq);
        return this.outboxItem(seq);
      })();
    } catch (error) {
      if ((error as { code?: unknown }).code === 'SQLITE_CONSTRAINT_UNIQUE') {
        throw new CacheError('DUPLICATE_CLIENT_ID', 'this change was already queued', { cause: error });
      }
      throw error;
    }
  }

  private outboxItem(seq: number): OutboxItem {
    const row = this.statements.outboxRow.get(seq);
    if (!row) {
      throw new CacheError('NOT_FOUND', `outbox item ${seq} is not there`);
    }
    return toOutboxItem(row);
  }

  /** Runs several writes as one transaction (one commit): e.g. every change of a push round the journal took. */
  atomically(work: () => void): void {
    this.db.transaction(work)();
  }

  /** Resources with a change the user must look at (conflict) or that the journal refused. */
  stoppedResources(): { resourceType: string; resourceId: string }[] {
    return (this.db.prepare("SELECT DISTINCT resource_type, resource_id FROM outbox WHERE state <> 'pending'").all() as { resource_type: string; resource_id: string }[]).map(
      (row) => ({ resourceType: row.resource_type, resourceId: row.resource_id }),
    );
  }

  /** A patient's changes the journal does not have yet, one per resource (its worst state: conflict, failed, pending). */
  unsyncedForPatient(patientId: string): { resourceType: string; resourceId: string; state: 'pending' | 'failed' | 'conflict' }[] {
    const rows = this.db
      .prepare('SELECT resource_type, resource_id, state FROM outbox WHERE patient_id = ? ORDER BY seq')
      .all(patientId) as { resource_type: string; resource_id: string; state: 'pending' | 'failed' | 'conflict' }[];
    const rank = { pending: 0, failed: 1, conflict: 2 } as const;
    const byResource = new Map<string, { resourceType: string; resourceId: string; state: 'pending' | 'failed' | 'conflict' }>();
    for (const row of rows) {
      const key = `${row.resource_type}/${row.resource_id}`;
      const known = byResource.get(key);
      if (!known || rank[row.state] > rank[known.state]) {
        byResource.set(key, { resourceType: row.resource_type, resourceId: row.resource_id, state: row.state });
      }
    }
    return [...byResource.values()];
  }

  /** Whether a change to this resource is still waiting in the outbox (in any state). */
  hasQueued(resourceType: string, resourceId: string): boolean {
    return this.db.prepare('SELECT 1 FROM outbox WHERE resource_type = ? AND resource_id = ? LIMIT 1').get(resourceType, resourceId) !== undefined;
  }

  /** Oldest first. Items waiting for a retry are included (with nextAttemptAt): order matters more than time. */
  pendingOutbox(limit = 50): OutboxItem[] {
    return this.statements.pendingOutbox.all(limit).map(toOutboxItem);
  }

  /** The server accepted it: the item leaves the outbox and the server's version replaces the local row. */
  markSent(seq: number, serverResource?: FhirResource): void {
    this.db.transaction(() => {
      const item = this.outboxItem(seq);
      this.statements.deleteOutbox.run(seq);
      if (serverResource?.id !== undefined && serverResource.meta?.versionId !== undefined) {
        // In the same transaction: a later queued edit of this resource builds its If-Match on it.
        this.setCursor(serverVersionScope(serverResource.resourceType, serverResource.id), serverResource.meta.versionId);
      }
      const local = this.statements.resourceRow.get(item.resourceType, item.resourceId);
      // A later local change to the same row is still queued: that is what the user sees until it is sent.
      const laterChangeQueued = local !== undefined && local.local_seq !== null && local.local_seq !== seq;
      if (laterChangeQueued) {
        return;
      }
      if (serverResource?.id === undefined) {
        // Nothing to replace it with: keep the row, no longer marked local, so the next pull refreshes it.
        this.db.prepare('UPDATE resource SET local_seq = NULL WHERE type = ? AND id = ? AND local_seq = ?').run(item.resourceType, item.resourceId, seq);
        return;
      }
      if (serverResource.resourceType !== item.resourceType || serverResource.id !== item.resourceId) {
        this.removeRow(item.resourceType, item.resourceId);
      }
      this.writeRow(serverResource.resourceType, serverResource.id, serverResource, null);
    })();
  }

  /** A 4xx other than a conflict: stop this item, keep it, show why. */
  markFailed(seq: number, message: string): void {
    this.updateOutbox(seq, "UPDATE outbox SET state = 'failed', attempts = attempts + 1, last_error = ? WHERE seq = ?", message);
  }

  /** Network error or 5xx: stays pending, tried again at `nextAttemptAt` (backoff with jitter is the engine's). */
  deferRetry(seq: number, nextAttemptAt: Date, message: string): void {
    this.updateOutbox(
      seq,
      'UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE seq = ?',
      nextAttemptAt.toISOString(),
      message,
    );
  }

  /**
   * The user throws a refused change away: the outbox item goes, and so does the local row it
   * left (the refused content must not pass for the journal's); the patient's cursor is cleared so
   * the next pull fetches the journal's version in full. Later queued changes of the same resource
   * go with it: they were made on top of the refused content and would carry it to the journal.
   */
  discardChange(seq: number): { patientId: string | null; discarded: number } {
    return this.db.transaction(() => {
      const item = this.outboxItem(seq);
      const { changes } = this.db.prepare('DELETE FROM outbox WHERE resource_type = ? AND resource_id = ? AND seq >= ?').run(item.resourceType, item.resourceId, seq);
      const local = this.statements.resourceRow.get(item.resourceType, item.resourceId);
      if (local?.local_seq !== null && local?.local_seq !== undefined && local.local_seq >= seq) {
        this.removeRow(item.resourceType, item.resourceId);
      }
      if (item.patientId !== null) {
        this.clearCursor(`patient:${item.patientId}`);
      }
      return { patientId: item.patientId, discarded: changes };
    })();
  }

  /** Changes the journal refused, with its reason, oldest first. */
  failedOutbox(): OutboxItem[] {
    return this.allOutbox().filter((item) => item.state === 'failed');
  }

  /** Puts a failed item back in the queue (the user pressed "try again"). */
  retryFailed(seq: number): void {
    this.updateOutbox(seq, "UPDATE outbox SET state = 'pending', next_attempt_at = NULL WHERE seq = ? AND state = 'failed'");
  }

  private updateOutbox(seq: number, sql: string, ...values: string[]): void {
    const { changes } = this.db.prepare(sql).run(...values, seq);
    if (changes === 0) {
      throw new CacheError('NOT_FOUND', `outbox item ${seq} is not there`);
    }
  }

  /** 409/412: both versions kept for the user to choose; never overwritten silently. */
  recordConflict(seq: number, mine: unknown, theirs: FhirResource): ConflictRecord {
    return this.db.transaction(() => {
      const item = this.outboxItem(seq);
      this.db.prepare("UPDATE outbox SET state = 'conflict' WHERE seq = ?").run(seq);
      const createdAt = this.timestamp();
      const { lastInsertRowid } = this.db
        .prepare('INSERT INTO conflict (outbox_seq, resource_type, resource_id, mine_json, theirs_json, created_at) VALUES (?, ?, ?, ?, ?, ?)')
        .run(seq, item.resourceType, item.resourceId, JSON.stringify(mine), JSON.stringify(theirs), createdAt);
      return { id: Number(lastInsertRowid), outboxSeq: seq, resourceType: item.resourceType, resourceId: item.resourceId, mine, theirs, createdAt };
    })();
  }

  conflicts(): ConflictRecord[] {
    const rows = this.db.prepare('SELECT * FROM conflict ORDER BY id').all() as {
      id: number;
      outbox_seq: number;
      resource_type: string;
      resource_id: string;
      mine_json: string;
      theirs_json: string;
      created_at: string;
    }[];
    return rows.map((row) => ({
      id: row.id,
      outboxSeq: row.outbox_seq,
      resourceType: row.resource_type,
      resourceId: row.resource_id,
      mine: JSON.parse(row.mine_json) as unknown,
      theirs: parse(row.theirs_json),
      createdAt: row.created_at,
    }));
  }

  resolveConflict(conflictId: number, resolution: ConflictResolution): void {
    this.db.transaction(() => {
      const conflict = this.conflicts().find((c) => c.id === conflictId);
      if (!conflict) {
        throw new CacheError('NOT_FOUND', `conflict ${conflictId} is not there`);
      }
      switch (resolution.keep) {
        case 'mine':
          this.db
            .prepare("UPDATE outbox SET state = 'pending', request_json = ?, attempts = 0, next_attempt_at = NULL, last_error = NULL WHERE seq = ?")
            .run(JSON.stringify(resolution.request), conflict.outboxSeq);
          this.db.prepare('DELETE FROM conflict WHERE id = ?').run(conflictId);
          return;
        case 'theirs':
          // Deleting the outbox row removes the conflict too (ON DELETE CASCADE).
          this.statements.deleteOutbox.run(conflict.outboxSeq);
          if (conflict.theirs.id !== undefined) {
            this.writeRow(conflict.theirs.resourceType, conflict.theirs.id, conflict.theirs, null);
          }
          return;
        default: {
          const unknownCase: never = resolution;
          throw new TypeError(`unknown resolution ${JSON.stringify(unknownCase)}`);
        }
      }
    })();
  }

  outboxStats(): OutboxStats {
    const rows = this.db.prepare('SELECT state, count(*) AS n, min(created_at) AS oldest FROM outbox GROUP BY state').all() as {
      state: OutboxState;
      n: number;
      oldest: string | null;
    }[];
    const of = (state: OutboxState) => rows.find((row) => row.state === state);
    return {
      pending: of('pending')?.n ?? 0,
      oldestPendingCreatedAt: of('pending')?.oldest ?? null,
      failed: of('failed')?.n ?? 0,
      conflicts: of('conflict')?.n ?? 0,
    };
  }

  /** Every item not yet accepted by the server, for export when the database must be set aside. */
  allOutbox(): OutboxItem[] {
    return (this.db.prepare('SELECT * FROM outbox ORDER BY seq').all() as OutboxRow[]).map(toOutboxItem);
  }

  /**
   * Re-queues items recovered from a damaged cache, in their old order. Idempotent: a client id
   * already queued is skipped. Conflicts come back as pending (their record was lost; the server
   * will answer 409/412 again). Returns how many were added.
   */
  importOutbox(items: readonly OutboxItem[]): number {
    return this.db.transaction(() => {
      const insert = this.db.prepare(`
        INSERT OR IGNORE INTO outbox (patient_id, kind, resource_type, resource_id, request_json, client_id, state, attempts, next_attempt_at, last_error, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
      let added = 0;
      for (const item of [...items].sort((a, b) => a.seq - b.seq)) {
        const state: OutboxState = item.state === 'failed' ? 'failed' : 'pending';
        added += insert.run(
          item.patientId,
          item.kind,
          item.resourceType,
          item.resourceId,
          JSON.stringify(item.request),
          item.clientId,
          state,
          item.attempts,
          null,
          item.lastError,
          item.createdAt,
        ).changes;
      }
      return added;
    })();
  }

  /** The server's version after this workstation's last accepted change to the resource. */
  lastSentVersion(type: string, id: string): string | undefined {
    return this.getCursor(serverVersionScope(type, id));
  }

  getCursor(scope: string): string | undefined {
    const row = this.db.prepare('SELECT cursor FROM sync_cursor WHERE scope = ?').get(scope) as { cursor: string } | undefined;
    return row?.cursor;
  }

  /** Forgets a cursor: the next pull of that scope is a full one. */
  clearCursor(scope: string): void {
    this.db.prepare('DELETE FROM sync_cursor WHERE scope = ?').run(scope);
  }

  setCursor(scope: string, cursor: string): void {
    this.db
      .prepare('INSERT INTO sync_cursor (scope, cursor, updated_at) VALUES (?, ?, ?) ON CONFLICT (scope) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at')
      .run(scope, cursor, this.timestamp());
  }

  saveDraft(draft: { key: string; patientId: string | null; value: unknown }): void {
    this.db
      .prepare(
        'INSERT INTO draft (key, patient_id, json, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET patient_id = excluded.patient_id, json = excluded.json, updated_at = excluded.updated_at',
      )
      .run(draft.key, draft.patientId, JSON.stringify(draft.value), this.timestamp());
  }

  getDraft(key: string): Draft | undefined {
    const row = this.db.prepare('SELECT key, patient_id, json, updated_at FROM draft WHERE key = ?').get(key) as
      | { key: string; patient_id: string | null; json: string; updated_at: string }
      | undefined;
    return row ? { key: row.key, patientId: row.patient_id, value: JSON.parse(row.json) as unknown, updatedAt: row.updated_at } : undefined;
  }

  /** Every draft kept, newest first, with its patient when that is cached (for "unsigned notes" on the worklist). */
  listDrafts(limit = 200): { key: string; patientId: string | null; updatedAt: string; patient: FhirResource | null }[] {
    const rows = this.db
      .prepare(
        "SELECT d.key, d.patient_id, d.updated_at, r.json FROM draft d LEFT JOIN resource r ON r.type = 'Patient' AND r.id = d.patient_id ORDER BY d.updated_at DESC LIMIT ?",
      )
      .all(limit) as { key: string; patient_id: string | null; updated_at: string; json: string | null }[];
    return rows.map((row) => ({ key: row.key, patientId: row.patient_id, updatedAt: row.updated_at, patient: row.json === null ? null : parse(row.json) }));
  }

  deleteDraft(key: string): void {
    this.db.prepare('DELETE FROM draft WHERE key = ?').run(key);
  }

  /**
   * Replaces one worklist with what the journal just said, in display order, in one transaction.
   * Returns whether it changed (patients or appointments); refreshedAt moves either way.
   */
  replaceWorklist(list: string, rows: readonly { patientId: string; appointment: FhirResource | null }[], refreshedAt: string): boolean {
    const digest = createHash('sha256')
      .update(JSON.stringify(rows.map((row) => [row.patientId, row.appointment])))
      .digest('hex');
    return this.db.transaction(() => {
      const before = this.db.prepare('SELECT digest FROM worklist WHERE list = ?').get(list) as { digest: string } | undefined;
      const changed = before?.digest !== digest;
      this.db
        .prepare('INSERT INTO worklist (list, refreshed_at, digest) VALUES (?, ?, ?) ON CONFLICT (list) DO UPDATE SET refreshed_at = excluded.refreshed_at, digest = excluded.digest')
        .run(list, refreshedAt, digest);
      if (changed) {
        this.db.prepare('DELETE FROM worklist_row WHERE list = ?').run(list);
        const insert = this.db.prepare('INSERT INTO worklist_row (list, position, patient_id, appointment_json) VALUES (?, ?, ?, ?)');
        rows.forEach((row, position) => insert.run(list, position, row.patientId, row.appointment === null ? null : JSON.stringify(row.appointment)));
      }
      return changed;
    })();
  }

  /** A worklist as last stored; no rows and refreshedAt null when it was never fetched on this PC. */
  worklist(list: string): StoredWorklist {
    const head = this.db.prepare('SELECT refreshed_at FROM worklist WHERE list = ?').get(list) as { refreshed_at: string } | undefined;
    const rows = this.statements.worklist.all(list).map((row) => ({
      patientId: row.patient_id,
      patient: row.patient_json === null ? null : parse(row.patient_json),
      appointment: row.appointment_json === null ? null : parse(row.appointment_json),
    }));
    return { rows, refreshedAt: head?.refreshed_at ?? null };
  }

  /** Versions read from the journal's history, kept for the history view offline. */
  putVersions(resources: readonly FhirResource[]): void {
    const insert = this.db.prepare('INSERT OR REPLACE INTO resource_version (type, id, version_id, last_updated, json) VALUES (?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      for (const resource of resources) {
        if (resource.id !== undefined && resource.meta?.versionId !== undefined) {
          insert.run(resource.resourceType, resource.id, resource.meta.versionId, resource.meta.lastUpdated ?? null, JSON.stringify(resource));
        }
      }
    })();
  }

  /** Every version of a resource this PC holds (history read earlier, and the current row), newest first. */
  versionsOf(type: string, id: string): StoredVersion[] {
    const rows = this.db.prepare('SELECT version_id, last_updated, json FROM resource_version WHERE type = ? AND id = ?').all(type, id) as {
      version_id: string;
      last_updated: string | null;
      json: string;
    }[];
    const byVersion = new Map(rows.map((row) => [row.version_id, { versionId: row.version_id, lastUpdated: row.last_updated, resource: parse(row.json) }]));
    const current = this.getResource(type, id);
    if (current) {
      // The current row wins: it may hold an unsent local edit of that version.
      const versionId = current.meta?.versionId ?? '';
      byVersion.set(versionId, { versionId, lastUpdated: current.meta?.lastUpdated ?? null, resource: current });
    }
    return [...byVersion.values()].sort((a, b) =>
      isNewerVersion({ versionId: a.versionId, lastUpdated: a.lastUpdated }, { versionId: b.versionId, lastUpdated: b.lastUpdated }) ? -1 : 1,
    );
  }

  /** The cached Provenance(s) whose first target is exactly this versioned reference (`Type/id/_history/v`). */
  provenancesFor(versionedReference: string): FhirResource[] {
    return this.statements.provenanceFor.all(versionedReference).map((row) => parse(row.json));
  }
}
