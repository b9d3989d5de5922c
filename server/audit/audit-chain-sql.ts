/**
 * Security related: how one audit record is turned into the text its hash covers, shared by the
 * insert trigger (migration 9) and `npm run audit -- verify`. A JSON array of every column but
 * the hash itself, the time in UTC with microseconds, so the text does not depend on the
 * session's time zone. Changing it breaks every chain written before: add a new version instead.
 */
export const AUDIT_ROW_TEXT = `jsonb_build_array(
  a.seq, to_char(a.recorded AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US'), a.principal, a.interaction,
  a.resource_type, a.resource_id, a.patient_id, a.outcome, a.reason, a.subject,
  a.hpr, a.organization, a.role, a.basis, a.entities, a.prev_hash
)::text`;

/** The hash of record `a` (hex SHA-256 of AUDIT_ROW_TEXT). */
export const AUDIT_ROW_HASH = `encode(sha256(convert_to(${AUDIT_ROW_TEXT}, 'UTF8')), 'hex')`;

/** The first record's predecessor. */
export const AUDIT_GENESIS = 'genesis';

/** Serialises appends, so each record's predecessor is the one appended just before it (any constant; "AKSONAUD"). */
export const AUDIT_CHAIN_LOCK = 0x414b534f4e415544n;
