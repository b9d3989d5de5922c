import type { Migration } from '../migration';

/** Type-level history pages newest first by position; without this a rare type scans all history. */
export const migration0004: Migration = {
  version: 4,
  name: 'history-by-type',
  async up(tx) {
    await tx.exec('CREATE INDEX resource_history_type_seq ON resource_history (resource_type, seq)');
  },
};
