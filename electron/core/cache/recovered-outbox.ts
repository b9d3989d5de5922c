import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Database } from 'better-sqlite3-multiple-ciphers';
import { CacheError } from './cache-errors';
import { toOutboxItem, type OutboxItem, type OutboxRow } from './cache-store';
import { writeFileDurably } from './cache-key-file';

/**
 * Unsent work rescued from a damaged cache. The export holds clinical text, so it is encrypted like
 * the cache: AES-256-GCM under a key derived from the database key (never the database key itself,
 * so one key is not used by two ciphers), in the clinician's own folder.
 */
const MAGIC = Buffer.from('AKSROB01');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const MAX_SEQ_PROBE = 1_000_000;

const exportKey = (databaseKey: Buffer): Buffer => Buffer.from(hkdfSync('sha256', databaseKey, Buffer.alloc(0), 'akson-recovered-outbox-v1', 32));

export const writeRecoveredOutbox = (file: string, databaseKey: Buffer, items: readonly OutboxItem[]): void => {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', exportKey(databaseKey), iv).setAAD(MAGIC);
  const body = Buffer.concat([cipher.update(JSON.stringify({ version: 1, items }), 'utf8'), cipher.final()]);
  writeFileDurably(file, Buffer.concat([MAGIC, iv, cipher.getAuthTag(), body]));
};

export const readRecoveredOutbox = (file: string, databaseKey: Buffer): OutboxItem[] => {
  const data = readFileSync(file);
  try {
    if (!data.subarray(0, MAGIC.length).equals(MAGIC)) {
      throw new Error('not a recovered-outbox file');
    }
    const iv = data.subarray(MAGIC.length, MAGIC.length + IV_BYTES);
    const tag = data.subarray(MAGIC.length + IV_BYTES, MAGIC.length + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', exportKey(databaseKey), iv).setAAD(MAGIC);
    decipher.setAuthTag(tag);
    const json = Buffer.concat([decipher.update(data.subarray(MAGIC.length + IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8');
    return (JSON.parse(json) as { items: OutboxItem[] }).items;
  } catch (error) {
    throw new CacheError('RECOVERED_FILE_INVALID', 'the recovered outbox file can not be read with this cache\'s key', { cause: error });
  }
};

/**
 * Reads what it can of the outbox of a damaged database: the whole table if that works, else row by
 * row up to the highest sequence number it can learn, skipping rows on damaged pages. Never writes.
 */
export const salvageOutbox = (db: Database): { items: OutboxItem[]; unreadable: number } => {
  try {
    return { items: (db.prepare('SELECT * FROM outbox ORDER BY seq').all() as OutboxRow[]).map(toOutboxItem), unreadable: 0 };
  } catch {
    // Fall through to row by row.
  }
  const highest = firstNumber(db, ['SELECT max(seq) AS n FROM outbox', "SELECT seq AS n FROM sqlite_sequence WHERE name = 'outbox'"]);
  const items: OutboxItem[] = [];
  let unreadable = 0;
  const one = (() => {
    try {
      return db.prepare('SELECT * FROM outbox WHERE seq = ?');
    } catch {
      return null;
    }
  })();
  if (one === null || highest === null) {
    return { items, unreadable };
  }
  for (let seq = 1; seq <= Math.min(highest, MAX_SEQ_PROBE); seq += 1) {
    try {
      const row = one.get(seq) as OutboxRow | undefined;
      if (row) {
        items.push(toOutboxItem(row));
      }
    } catch {
      unreadable += 1;
    }
  }
  return { items, unreadable };
};

const firstNumber = (db: Database, queries: readonly string[]): number | null => {
  for (const sql of queries) {
    try {
      const row = db.prepare(sql).get() as { n: unknown } | undefined;
      if (typeof row?.n === 'number') {
        return row.n;
      }
    } catch {
      // Try the next source.
    }
  }
  return null;
};
