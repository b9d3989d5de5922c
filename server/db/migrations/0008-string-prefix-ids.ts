import type { Migration } from '../migration';

/**
 * The name search takes its candidate ids from the prefix index alone (store/resource-store.ts,
 * searchByStringIndex): with the id in the index, PostgreSQL answers that from the index (an
 * index-only scan once the table is vacuumed) instead of visiting a table row per matching name.
 * It replaces search_string_prefix, whose columns it starts with, so a write updates as many
 * indexes as before. CREATE INDEX indexes the rows already there.
 */
export const migration0008: Migration = {
  version: 8,
  name: 'string-prefix-ids',
  async up(tx) {
    await tx.exec(`
      CREATE INDEX search_string_prefix_id ON search_string (resource_type, param, value text_pattern_ops) INCLUDE (id);
      DROP INDEX search_string_prefix;
    `);
  },
};
