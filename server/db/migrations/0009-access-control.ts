import { AUDIT_CHAIN_LOCK, AUDIT_GENESIS, AUDIT_ROW_HASH } from '../../audit/audit-chain-sql';
import type { Migration } from '../migration';

/**
 * Access control (server/access) and an audit log nobody can quietly change.
 *
 * - `access_grant`: self-authorisations ("break the glass"): who, which patient, the reason, until
 *   when, and the privacy officer's review.
 * - `access_block`: the blocks (sperring) of active Consents, one row per provision, kept by the
 *   store with the Consent in the same transaction, so the visibility condition is an index probe.
 * - `audit_log` gains who in full (HPR, organisation, role), the basis of the access, the ids of
 *   what was read or returned, and a hash chain: each record's hash covers its columns and the
 *   previous record's hash. A trigger refuses UPDATE, DELETE and TRUNCATE; records already in the
 *   log are chained here, oldest first.
 */
export const migration0009: Migration = {
  version: 9,
  name: 'access-control',
  async up(tx) {
    await tx.exec(`
      CREATE TABLE access_grant (
        id text PRIMARY KEY,
        practitioner text NOT NULL,
        hpr text,
        organization text,
        role text,
        patient_id text NOT NULL,
        reason_code text NOT NULL,
        reason_text text NOT NULL,
        granted_at timestamptz NOT NULL,
        expires_at timestamptz NOT NULL,
        reviewed_at timestamptz,
        reviewed_by text,
        review_comment text
      );
      CREATE INDEX access_grant_active ON access_grant (practitioner, patient_id, expires_at);
      CREATE INDEX access_grant_unreviewed ON access_grant (granted_at) WHERE reviewed_at IS NULL;

      CREATE TABLE access_block (
        consent_id text NOT NULL,
        patient_id text NOT NULL,
        kind text NOT NULL CHECK (kind IN ('document', 'category', 'clinician')),
        target_type text,
        target_id text,
        resource_type text,
        code text,
        lo timestamptz,
        hi timestamptz,
        actor_id text
      );
      CREATE INDEX access_block_patient ON access_block (patient_id);
      CREATE INDEX access_block_consent ON access_block (consent_id);

      ALTER TABLE audit_log
        ADD COLUMN hpr text, ADD COLUMN organization text, ADD COLUMN role text, ADD COLUMN basis text,
        ADD COLUMN entities jsonb, ADD COLUMN prev_hash text, ADD COLUMN hash text;
      CREATE INDEX audit_log_principal ON audit_log (principal, recorded);
      CREATE INDEX audit_log_recorded ON audit_log (recorded);
    `);
    // Records already in the log, chained oldest first, before the trigger forbids updates.
    await tx.exec(`
      DO $$
      DECLARE
        row_seq bigint;
        previous text := '${AUDIT_GENESIS}';
      BEGIN
        FOR row_seq IN SELECT seq FROM audit_log ORDER BY seq LOOP
          UPDATE audit_log SET prev_hash = previous WHERE seq = row_seq;
          UPDATE audit_log a SET hash = ${AUDIT_ROW_HASH} WHERE seq = row_seq RETURNING hash INTO previous;
        END LOOP;
      END $$;
    `);
    await tx.exec(`
      CREATE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        previous text;
        a audit_log;
      BEGIN
        -- One append at a time until commit, and the position taken under the lock: the chain's
        -- order is the order of seq, whatever order concurrent transactions started in.
        PERFORM pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK.toString()});
        NEW.seq := nextval(pg_get_serial_sequence('audit_log', 'seq'));
        SELECT hash INTO previous FROM audit_log ORDER BY seq DESC LIMIT 1;
        NEW.prev_hash := COALESCE(previous, '${AUDIT_GENESIS}');
        a := NEW;
        NEW.hash := ${AUDIT_ROW_HASH};
        RETURN NEW;
      END $$;
      CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain();

      CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % is refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$;
      CREATE TRIGGER audit_log_immutable BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
    `);
  },
};
