import pg from 'pg';
import type { Database, Queryable } from './database';

// int8 (bigserial history positions, counts) as numbers: they stay far below 2^53 here.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

/** PostgreSQL through a connection pool; `DATABASE_URL=postgres://...` selects it. */
export const openPostgresDatabase = async (url: string, { max = 10 }: { max?: number } = {}): Promise<Database> => {
  const pool = new pg.Pool({ connectionString: url, max, application_name: 'akson-journal' });
  // Fail at start-up, with the driver's message, rather than on the first request.
  const probe = await pool.connect();
  probe.release();
  const wrap = (target: Pick<pg.Pool | pg.PoolClient, 'query'>): Queryable => ({
    query: async <R extends object>(text: string, params?: readonly unknown[]) => {
      const result = await target.query<R & pg.QueryResultRow>(text, params ? [...params] : undefined);
      return { rows: result.rows };
    },
    // Without parameters pg uses the simple protocol, which runs several statements.
    exec: async (script) => {
      await target.query(script);
    },
  });
  return {
    kind: 'postgres',
    ...wrap(pool),
    async transaction(work) {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await work(wrap(client));
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch((rollbackError: unknown) => {
          // A connection that can not roll back is not given back to the pool.
          broken = rollbackError instanceof Error ? rollbackError : new Error('rollback failed');
        });
        throw error;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
};
