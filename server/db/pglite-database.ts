import { PGlite } from '@electric-sql/pglite';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock';
import type { Database, Queryable } from './database';

/**
 * PGlite: PostgreSQL in WASM, one connection per data folder. It queues queries and transactions
 * itself, so callers may issue them concurrently. `dataDir` undefined means in memory (tests).
 */
export const openPgliteDatabase = async (dataDir?: string): Promise<Database> => {
  const lock: DataDirLock | undefined = dataDir ? acquireDataDirLock(dataDir) : undefined;
  let pg: PGlite;
  try {
    pg = await PGlite.create(dataDir ?? 'memory://');
  } catch (error) {
    lock?.release();
    throw error;
  }
  const wrap = (target: Pick<PGlite, 'query' | 'exec'>): Queryable => ({
    query: async <R extends object>(text: string, params?: readonly unknown[]) => {
      const result = await target.query<R>(text, params ? [...params] : undefined);
      return { rows: result.rows };
    },
    exec: async (script) => {
      await target.exec(script);
    },
  });
  return {
    kind: 'pglite',
    ...wrap(pg),
    transaction: (work) => pg.transaction((tx) => work(wrap(tx))),
    async close() {
      try {
        await pg.close();
      } finally {
        lock?.release();
      }
    },
  };
};
