import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import type { Logger } from '../logging/logger';
import type { SigningCard } from '../card/signing-card';
import { CacheError } from './cache-errors';
import { createKeyFile, KEY_FILE_NAME, readKeyFile } from './cache-key-file';
import { CacheStore } from './cache-store';
import { clinicianFolder } from './clinician-folder';
import type { KeyStore } from './key-store';
import { migrate, migrations as knownMigrations, schemaVersion, type Migration } from './migrations';
import { readRecoveredOutbox, salvageOutbox, writeRecoveredOutbox } from './recovered-outbox';

export const DATABASE_FILE_NAME = 'cache.db';
const SIDE_FILES = ['', '-wal', '-shm'] as const;

export interface OpenCacheOptions {
  /** The app's data folder; each clinician gets a folder under it named by a hash of their HPR number. */
  root: string;
  clinicianHpr: string;
  /** Logged in already: the authentication key signs to unwrap the cache key. */
  card: SigningCard;
  keyStore: KeyStore;
  log: Logger;
  now?: () => Date;
  /** Tests only: the schema steps of another app version. */
  migrations?: readonly Migration[];
}

/** Said to the user when a damaged cache was set aside; the sync engine re-fills and re-queues. */
export interface RecoveryReport {
  movedTo: string;
  exportedOutboxItems: number;
  /** Outbox rows on damaged pages that could not be read: the user must be told these are lost. */
  unreadableOutboxItems: number;
  exportFile: string | null;
}

export interface OpenCacheResult {
  cache: OfflineCache;
  /** True when this open made the cache (first use by this clinician on this PC). */
  created: boolean;
  recovered: RecoveryReport | null;
}

/** The clinician's open cache: the store plus what only the owner of the key can do. */
export class OfflineCache extends CacheStore {
  constructor(
    private readonly database: Database.Database,
    private readonly databaseKey: Buffer,
    readonly folder: string,
    now: () => Date,
  ) {
    super(database, now);
  }

  /** Moves the WAL into the database file (e.g. when idle), so the -wal file stays small. */
  checkpoint(): void {
    this.database.pragma('wal_checkpoint(TRUNCATE)');
  }

  /** The plan SQLite picks for a query: the hot-query test pins these to indexes. */
  explainQueryPlan(sql: string, ...params: unknown[]): string[] {
    return (this.database.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((row) => row.detail);
  }

  readRecoveredOutbox(file: string): ReturnType<typeof readRecoveredOutbox> {
    return readRecoveredOutbox(file, this.databaseKey);
  }

  /** Re-queues an export made when this cache was recovered; safe to call twice. Returns items added. */
  importRecoveredOutbox(file: string): number {
    return this.importOutbox(this.readRecoveredOutbox(file));
  }

  close(): void {
    this.database.close();
    this.databaseKey.fill(0);
  }
}

/** Corruption, as SQLite reports it once the key is known to be right. */
class DamagedDatabase extends Error {}

const isDamage = (error: unknown): boolean =>
  error instanceof DamagedDatabase || /^SQLITE_(CORRUPT|NOTADB)/.test(String((error as { code?: unknown }).code));

/**
 * Security related: the key goes in before any other statement, raw (x'..', no KDF: it is already
 * 256 random bits). A wrong key would fail on first read; we never get here with one, because the
 * key file's GCM tag has already proved it (cache-key-file.ts).
 */
const openKeyed = (file: string, key: Buffer, options: Database.Options = {}): Database.Database => {
  const db = new Database(file, options);
  try {
    db.pragma("cipher='sqlcipher'");
    db.pragma(`key="x'${key.toString('hex')}'"`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
};

/** Opens, checks and migrates; throws NEWER_SCHEMA untouched, or a damage error for recovery. */
const openChecked = (file: string, key: Buffer, migrations: readonly Migration[]): Database.Database => {
  const db = openKeyed(file, key);
  try {
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    // Before anything that writes (journal_mode, migrations): a newer app's database stays as it was.
    const version = schemaVersion(db);
    const latest = migrations.at(-1)?.version ?? 0;
    if (version > latest) {
      throw new CacheError('NEWER_SCHEMA', `the cache was written by a newer version of Akson (schema ${version}, this version knows ${latest})`);
    }
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') {
      throw new DamagedDatabase('quick_check failed');
    }
    db.pragma('journal_mode = WAL');
    // FULL: a commit is on disk when it returns, which is what "saved" promises the clinician.
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    migrate(db, { migrations });
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
};

/**
 * Opens (or makes) this clinician's encrypted offline cache. Wrong card, another OS user and a newer
 * app are refused with a CacheError before the database file is written. A damaged database is set
 * aside with its unsent outbox exported (encrypted), and a fresh cache is returned with a report.
 */
export const openCache = (options: OpenCacheOptions): OpenCacheResult => {
  const { root, clinicianHpr, card, keyStore, log } = options;
  const now = options.now ?? (() => new Date());
  const migrations = options.migrations ?? knownMigrations;
  const folder = clinicianFolder(root, clinicianHpr);
  mkdirSync(folder, { recursive: true, mode: 0o700 });
  const keyFile = join(folder, KEY_FILE_NAME);
  const dbFile = join(folder, DATABASE_FILE_NAME);

  let key: Buffer;
  let created = false;
  if (existsSync(keyFile)) {
    key = readKeyFile(keyFile, card, keyStore);
  } else if (existsSync(dbFile)) {
    // Without its key the database is unreadable; deleting it could lose unsent work another way back.
    throw new CacheError('KEY_FILE_MISSING', 'the cache key file is missing; the cache was left as it is');
  } else {
    key = createKeyFile(keyFile, card, keyStore);
    created = true;
  }
  if (keyStore.kind === 'file') {
    log.warn({ keyStore: keyStore.kind }, 'offline cache key protected by the development file key store, not the OS key store');
  }

  let recovered: RecoveryReport | null = null;
  let db: Database.Database;
  try {
    db = openChecked(dbFile, key, migrations);
  } catch (error) {
    if (!isDamage(error)) {
      throw error;
    }
    recovered = setAside(folder, dbFile, key, now());
    log.warn({ exported: recovered.exportedOutboxItems, unreadable: recovered.unreadableOutboxItems }, 'offline cache was damaged; set aside and re-created');
    try {
      db = openChecked(dbFile, key, migrations);
    } catch (again) {
      // The export (if any) stays in the folder: the next open that works re-queues it.
      throw new CacheError('CORRUPT_UNRECOVERABLE', 'the offline cache could not be re-created', { cause: again, salvaged: recovered });
    }
  }
  log.info({ keyStore: keyStore.kind, created, schema: schemaVersion(db) }, 'offline cache opened');
  return { cache: new OfflineCache(db, key, folder, now), created, recovered };
};

/** Exports what it can of the outbox, then moves the database and its WAL/SHM to corrupt-<time>/. */
const setAside = (folder: string, dbFile: string, key: Buffer, at: Date): RecoveryReport => {
  const stamp = at.toISOString().replace(/[:.]/g, '-');
  let salvaged: ReturnType<typeof salvageOutbox> = { items: [], unreadable: 0 };
  try {
    // Read-only: replaying a WAL into a damaged file could make it worse.
    const damaged = openKeyed(dbFile, key, { readonly: true, fileMustExist: true });
    try {
      salvaged = salvageOutbox(damaged);
    } finally {
      damaged.close();
    }
  } catch {
    // Nothing readable at all (e.g. the first page): the report says 0 exported.
  }
  let exportFile: string | null = null;
  if (salvaged.items.length > 0) {
    exportFile = join(folder, `recovered-outbox-${stamp}.bin`);
    writeRecoveredOutbox(exportFile, key, salvaged.items);
  }
  const movedTo = join(folder, `corrupt-${stamp}`);
  mkdirSync(movedTo, { recursive: true, mode: 0o700 });
  for (const suffix of SIDE_FILES) {
    if (existsSync(`${dbFile}${suffix}`)) {
      renameSync(`${dbFile}${suffix}`, join(movedTo, `${DATABASE_FILE_NAME}${suffix}`));
    }
  }
  return { movedTo, exportedOutboxItems: salvaged.items.length, unreadableOutboxItems: salvaged.unreadable, exportFile };
};
