import type { Migration } from '../migration';

/**
 * One row per interaction: who (principal), what (interaction, type, id), outcome. The access-log
 * issue turns these into AuditEvents the patient can see; rows are never updated or deleted.
 */
export const migration0003: Migration = {
  version: 3,
  name: 'audit-log',
  async up(tx) {
    await tx.exec(`
      CREATE TABLE audit_log (
        seq bigserial PRIMARY KEY,
        recorded timestamptz NOT NULL DEFAULT now(),
        principal text NOT NULL,
        interaction text NOT NULL,
        resource_type text,
        resource_id text,
        patient_id text,
        outcome integer NOT NULL
      );
      CREATE INDEX audit_log_patient ON audit_log (patient_id, recorded);
    `);
  },
};
