import type { Queryable } from '../db/database';
import type { Json } from '../fhir/json-path';
import { parseReference } from '../fhir/search-index';
import { searchParameters } from '../fhir/search-parameters';
import { valuesAt } from '../fhir/json-path';
import type { Interaction } from './access-policy';
import type { Principal } from './principal';

export interface AuditRecord {
  principal: Principal;
  interaction: Interaction;
  resourceType?: string;
  resourceId?: string;
  /** The patient whose record was touched, when there is one. */
  patientId?: string;
  /** HTTP status of the outcome. */
  outcome: number;
  /** Login: the reason code of the outcome (`ok`, `bad-signature`, ...). */
  reason?: string;
  /** Login: the certificate subject, when a certificate could be read. Never the assertion. */
  subject?: string;
}

export interface AuditWriter {
  /** With `tx`, the records commit (or not) with the write they describe: one commit, not two. */
  record(entries: readonly AuditRecord[], tx?: Queryable): Promise<void>;
}

/** The patient a resource belongs to: itself for a Patient, else its `patient` search parameter. */
export const patientOf = (resourceType: string, resource: Json): string | undefined => {
  if (resourceType === 'Patient') {
    return typeof resource.id === 'string' ? resource.id : undefined;
  }
  const definition = searchParameters[resourceType]?.find((p) => p.name === 'patient');
  for (const path of definition?.paths ?? []) {
    for (const value of valuesAt(resource, path)) {
      const target = parseReference(value);
      if (target?.targetType === 'Patient') {
        return target.targetId;
      }
    }
  }
  return undefined;
};

/** Longer than any type, id or principal the API accepts; a longer value is cut, never refused. */
export const MAX_AUDIT_TEXT = 256;

/**
 * Security related: an audit record must be writable whatever a client sent. Refusals name the
 * type and id from the URL, which may hold what PostgreSQL text can not (U+0000) or what its
 * encoder would replace (a lone surrogate): both are written as visible \uXXXX escapes, and the
 * value is cut to MAX_AUDIT_TEXT, so the insert of the refusal never fails with it.
 */
export const auditText = (value: string | undefined): string | null => {
  if (value === undefined) {
    return null;
  }
  // eslint-disable-next-line no-control-regex -- finding U+0000 is the point
  const escaped = value.replace(/\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, (unit) => `\\u${unit.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (escaped.length <= MAX_AUDIT_TEXT) {
    return escaped;
  }
  // Not through the middle of a surrogate pair.
  const cut = escaped.slice(0, MAX_AUDIT_TEXT);
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
};

/** Appends to audit_log, all records of one call in one statement; never updates or deletes. */
export const databaseAuditWriter = (db: Queryable): AuditWriter => ({
  async record(entries, tx) {
    if (entries.length === 0) {
      return;
    }
    await (tx ?? db).query(
      `INSERT INTO audit_log (principal, interaction, resource_type, resource_id, patient_id, outcome, reason, subject)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::text[])`,
      [
        entries.map((e) => auditText(e.principal.id)),
        entries.map((e) => e.interaction),
        entries.map((e) => auditText(e.resourceType)),
        entries.map((e) => auditText(e.resourceId)),
        entries.map((e) => auditText(e.patientId)),
        entries.map((e) => e.outcome),
        entries.map((e) => e.reason ?? null),
        entries.map((e) => e.subject ?? null),
      ],
    );
  },
});
