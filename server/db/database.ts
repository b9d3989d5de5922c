/**
 * The one SQL surface the store uses. Two implementations: PGlite (embedded PostgreSQL in WASM,
 * the zero-setup default) and PostgreSQL through `pg`. The SQL is the same for both.
 */
export interface QueryResult<R> {
  rows: R[];
}

export interface Queryable {
  query<R extends object = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  /** Several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
