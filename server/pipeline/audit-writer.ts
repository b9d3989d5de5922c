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
}

export interface AuditWriter {
  /** With `tx`, the record commits (or not) with the write it describes: one commit, not two. */
  record(entry: AuditRecord, tx?: Queryable): Promise<void>;
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

/** Appends to audit_log; never updates or deletes. */
export const databaseAuditWriter = (db: Queryable): AuditWriter => ({
  async record(entry, tx) {
    await (tx ?? db).query(
      `INSERT INTO audit_log (principal, interaction, resource_type, resource_id, patient_id, outcome)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [entry.principal.id, entry.interaction, entry.resourceType ?? null, entry.resourceId ?? null, entry.patientId ?? null, entry.outcome],
    );
  },
});
