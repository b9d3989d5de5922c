import type { Queryable } from '../db/database';
import { AUDIT_GENESIS, AUDIT_ROW_HASH } from './audit-chain-sql';

export type ChainCheck =
  | { ok: true; records: number; head: string }
  | { ok: false; records: number; seq: number; problem: 'changed' | 'unlinked'; message: string };

const PAGE = 5_000;

/**
 * Walks the audit log in order and recomputes each record's hash (AUDIT_ROW_HASH) and its link to
 * the one before. The first record whose columns no longer give its hash was changed; the first
 * whose predecessor hash is not the previous record's follows a record that was removed (or
 * inserted). The head hash is what to keep elsewhere: an edit that rewrote every later hash too
 * changes it.
 */
export const verifyAuditChain = async (db: Queryable): Promise<ChainCheck> => {
  let previous = AUDIT_GENESIS;
  let after = 0;
  let records = 0;
  for (;;) {
    const { rows } = await db.query<{ seq: string | number; prev_hash: string | null; hash: string | null; computed: string }>(
      `SELECT a.seq, a.prev_hash, a.hash, ${AUDIT_ROW_HASH} AS computed FROM audit_log a WHERE a.seq > $1 ORDER BY a.seq LIMIT ${PAGE}`,
      [after],
    );
    for (const row of rows) {
      const seq = Number(row.seq);
      if (row.prev_hash !== previous) {
        return { ok: false, records, seq, problem: 'unlinked', message: `Audit record ${seq} does not follow the record before it: a record was removed or inserted before it.` };
      }
      if (row.hash !== row.computed) {
        return { ok: false, records, seq, problem: 'changed', message: `Audit record ${seq} was changed after it was written: its content no longer matches its hash.` };
      }
      previous = row.hash;
      after = seq;
      records += 1;
    }
    if (rows.length < PAGE) {
      return { ok: true, records, head: previous };
    }
  }
};
