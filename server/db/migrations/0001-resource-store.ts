import type { Migration } from '../migration';

/**
 * Resources as jsonb. `resource` holds each resource's current version; `resource_history` holds
 * every version ever written (never deleted). `seq` orders history globally, newest last, so a
 * history page cursor never shifts when new versions arrive.
 */
export const migration0001: Migration = {
  version: 1,
  name: 'resource-store',
  async up(tx) {
    await tx.exec(`
      CREATE TABLE resource (
        resource_type text NOT NULL,
        id text NOT NULL,
        version_id integer NOT NULL CHECK (version_id > 0),
        last_updated timestamptz NOT NULL,
        content jsonb NOT NULL,
        PRIMARY KEY (resource_type, id)
      );
      CREATE INDEX resource_last_updated ON resource (resource_type, last_updated);
      CREATE TABLE resource_history (
        seq bigserial PRIMARY KEY,
        resource_type text NOT NULL,
        id text NOT NULL,
        version_id integer NOT NULL,
        last_updated timestamptz NOT NULL,
        method text NOT NULL CHECK (method IN ('POST', 'PUT')),
        content jsonb NOT NULL,
        UNIQUE (resource_type, id, version_id)
      );
      CREATE INDEX resource_history_type_updated ON resource_history (resource_type, last_updated);
      CREATE INDEX resource_history_updated ON resource_history (last_updated);
    `);
  },
};
