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
        entries.map((e) => e.principal.id),
        entries.map((e) => e.interaction),
        entries.map((e) => e.resourceType ?? null),
        entries.map((e) => e.resourceId ?? null),
        entries.map((e) => e.patientId ?? null),
        entries.map((e) => e.outcome),
        entries.map((e) => e.reason ?? null),
        entries.map((e) => e.subject ?? null),
      ],
    );
  },
});
