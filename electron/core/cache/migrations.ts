import type { Database } from 'better-sqlite3-multiple-ciphers';
import { CacheError } from './cache-errors';
import { migration0001 } from './migrations/0001-initial';
import { migration0002 } from './migrations/0002-outbox-queue-index';
import { migration0003 } from './migrations/0003-outbox-resource-index';
import { migration0004 } from './migrations/0004-worklists-versions';

/** One numbered schema step; `PRAGMA user_version` holds the number of the last one applied. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  up(db: Database): void;
}

export const migrations: readonly Migration[] = [migration0001, migration0002, migration0003, migration0004];

export const schemaVersion = (db: Database): number => db.pragma('user_version', { simple: true }) as number;

/**
 * Brings the database to `target` (default: the newest known), each step and its version number in
 * one transaction, so a crash mid-way leaves the previous version intact. A database newer than we
 * know is refused (a newer app may have changed meanings we would corrupt).
 */
export const migrate = (db: Database, options: { migrations?: readonly Migration[]; target?: number } = {}): { from: number; to: number } => {
  const steps = options.migrations ?? migrations;
  const latest = steps.at(-1)?.version ?? 0;
  const target = options.target ?? latest;
  const from = schemaVersion(db);
  if (from > latest) {
    throw new CacheError('NEWER_SCHEMA', `the cache was written by a newer version of Akson (schema ${from}, this version knows ${latest})`);
  }
  for (const step of steps) {
    if (step.version > from && step.version <= target) {
      db.transaction(() => {
        step.up(db);
        // PRAGMA can not take a bound parameter; the version is our own integer.
        db.pragma(`user_version = ${Math.trunc(step.version)}`);
      })();
    }
  }
  return { from, to: schemaVersion(db) };
};
