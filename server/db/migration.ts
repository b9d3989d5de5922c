import type { Database, Queryable } from './database';

/** One numbered schema change. `up` runs inside a transaction with the version row. */
export interface Migration {
  version: number;
  name: string;
  up(tx: Queryable): Promise<void>;
}

export class NewerDatabaseError extends Error {
  override readonly name = 'NewerDatabaseError';
}

/** Serialises concurrent start-ups on PostgreSQL (any constant; this one reads "AKSONMIG"). */
const MIGRATION_LOCK = 0x414b534f4e4d4947n;

export const currentVersion = async (db: Queryable): Promise<number> => {
  const { rows } = await db.query<{ version: number | null }>('SELECT max(version) AS version FROM schema_migrations');
  return rows[0]?.version ?? 0;
};

/**
 * Brings the schema to the newest version this server knows, one migration per transaction.
 * A database written by a newer server is refused: this server would not understand it.
 */
export const migrate = async (db: Database, migrations: readonly Migration[]): Promise<{ from: number; to: number }> => {
  const ordered = [...migrations].sort((a, b) => a.version - b.version);
  ordered.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`Migrations must be numbered 1, 2, 3 ... without gaps; found ${migration.version} at place ${index + 1}`);
    }
  });
  const latest = ordered.length;
  await db.transaction(async (tx) => {
    if (db.kind === 'postgres') {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK.toString()]);
    }
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  });
  const from = await currentVersion(db);
  if (from > latest) {
    throw new NewerDatabaseError(
      `The journal database has schema version ${from}, newer than this server understands (${latest}). Upgrade the server; do not use an older one on this database.`,
    );
  }
  for (const migration of ordered.slice(from)) {
    await db.transaction(async (tx) => {
      if (db.kind === 'postgres') {
        await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK.toString()]);
      }
      // Another server may have applied it while we waited for the lock.
      if ((await currentVersion(tx)) >= migration.version) {
        return;
      }
      await migration.up(tx);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
    });
  }
  return { from, to: latest };
};
