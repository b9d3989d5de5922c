import type { Migration } from '../migrations';

/**
 * The sync engine asks "the oldest pending items" on every push, and the UI counts by state; without
 * this index both scan the whole outbox, which grows while a clinic is offline. The conflict index
 * keeps the ON DELETE CASCADE from outbox (every markSent) from scanning `conflict`.
 */
export const migration0002: Migration = {
  version: 2,
  name: 'outbox-queue-index',
  up: (db) => {
    db.exec(`
      CREATE INDEX outbox_state_seq ON outbox (state, seq);
      CREATE INDEX conflict_outbox ON conflict (outbox_seq);
    `);
  },
};
