import { extractIndexRows } from '../../fhir/search-index';
import type { Json } from '../../fhir/json-path';
import { writeIndexRows } from '../../store/index-writer';
import type { Migration } from '../migration';

/**
 * One table per search parameter type, rows per current resource version, each with the index
 * its searches need (a query plan test keeps the hot ones on them). Existing resources are indexed
 * here, so a database from version 1 is searchable after the upgrade.
 */
export const migration0002: Migration = {
  version: 2,
  name: 'search-index',
  async up(tx) {
    await tx.exec(`
      CREATE TABLE search_token (
        resource_type text NOT NULL, id text NOT NULL, param text NOT NULL, system text, code text NOT NULL
      );
      CREATE INDEX search_token_lookup ON search_token (resource_type, param, code, system);
      CREATE INDEX search_token_owner ON search_token (resource_type, id);

      CREATE TABLE search_string (
        resource_type text NOT NULL, id text NOT NULL, param text NOT NULL, value text NOT NULL
      );
      CREATE INDEX search_string_prefix ON search_string (resource_type, param, value text_pattern_ops);
      CREATE INDEX search_string_owner ON search_string (resource_type, id);

      CREATE TABLE search_date (
        resource_type text NOT NULL, id text NOT NULL, param text NOT NULL, lo timestamptz NOT NULL, hi timestamptz NOT NULL
      );
      CREATE INDEX search_date_lo ON search_date (resource_type, param, lo);
      CREATE INDEX search_date_owner ON search_date (resource_type, id);

      CREATE TABLE search_reference (
        resource_type text NOT NULL, id text NOT NULL, param text NOT NULL, target_type text NOT NULL, target_id text NOT NULL
      );
      CREATE INDEX search_reference_target ON search_reference (target_type, target_id, resource_type, param);
      CREATE INDEX search_reference_owner ON search_reference (resource_type, id);
    `);
    const { rows } = await tx.query<{ resource_type: string; id: string; content: Json }>(
      'SELECT resource_type, id, content FROM resource',
    );
    for (const row of rows) {
      await writeIndexRows(tx, row.resource_type, row.id, extractIndexRows(row.resource_type, row.content));
    }
  },
};
