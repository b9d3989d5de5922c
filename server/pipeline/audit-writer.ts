import type { Queryable } from '../db/database';
import type { Json } from '../fhir/json-path';
import { parseReference } from '../fhir/search-index';
import { searchParameters } from '../fhir/search-parameters';
import { valuesAt } from '../fhir/json-path';
import type { Basis, Interaction } from './access-policy';
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
  /** Why the principal could see the patient's record (relationship, self-authorisation with its reason). */
  basis?: Basis;
  /** `Type/id` of every resource read, returned or written for this patient (each search hit). */
  entities?: readonly string[];
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

/** What the basis column says: the relationship, or `self-authorisation:<grant id>`. */
const basisText = (basis: Basis | undefined): string | null =>
  basis === undefined ? null : basis.kind === 'self-authorisation' && basis.grantId ? `self-authorisation:${basis.grantId}` : basis.kind;

/**
 * Appends to audit_log, all records of one call in one statement; never updates or deletes (a
 * trigger refuses both, and chains each record's hash to the one before: migration 9). Who is
 * written in full from the principal: id, HPR number, organisation, role.
 */
export const databaseAuditWriter = (db: Queryable): AuditWriter => ({
  async record(entries, tx) {
    if (entries.length === 0) {
      return;
    }
    await (tx ?? db).query(
      `INSERT INTO audit_log (principal, interaction, resource_type, resource_id, patient_id, outcome, reason, subject, hpr, organization, role, basis, entities)
       SELECT p, i, t, r, pa, o, re, su, h, org, ro, b, e::jsonb
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[], $13::text[])
         AS n(p, i, t, r, pa, o, re, su, h, org, ro, b, e)`,
      [
        entries.map((e) => auditText(e.principal.id)),
        entries.map((e) => e.interaction),
        entries.map((e) => auditText(e.resourceType)),
        entries.map((e) => auditText(e.resourceId)),
        entries.map((e) => auditText(e.patientId)),
        entries.map((e) => e.outcome),
        // A self-authorisation's stated reason goes with every access it allowed.
        entries.map((e) => auditText(e.reason ?? (e.basis?.kind === 'self-authorisation' ? e.basis.reason : undefined))),
        entries.map((e) => e.subject ?? null),
        entries.map((e) => e.principal.hpr ?? null),
        entries.map((e) => (e.principal.organizationId ? `Organization/${e.principal.organizationId}` : null)),
        entries.map((e) => e.principal.role ?? null),
        entries.map((e) => basisText(e.basis)),
        entries.map((e) => (e.entities === undefined ? null : JSON.stringify(e.entities.map((entity) => auditText(entity))))),
      ],
    );
  },
});
