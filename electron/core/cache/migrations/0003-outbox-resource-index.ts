import type { Migration } from '../migrations';

/**
 * Every save of an edit asks whether an earlier change to the same resource is still queued (to
 * chain its If-Match), and every push asks which resources are stopped; without this index both
 * scan the outbox, which grows while a clinic is offline.
 */
export const migration0003: Migration = {
  version: 3,
  name: 'outbox-resource-index',
  up: (db) => {
    db.exec('CREATE INDEX outbox_resource ON outbox (resource_type, resource_id)');
  },
};
