import type { RoleCode } from '../directory/directory-rules';
import type { Json } from '../fhir/json-path';
import type { StoredResource } from '../store/resource-store';

/** Found by anyone with a role: the patient's demographics (finding a patient) and the directory. */
export const SHARED_TYPES: ReadonlySet<string> = new Set(['Patient', 'Practitioner', 'PractitionerRole', 'Organization']);

/** What a secretary sees of a patient's record besides demographics: administration, no clinical content. */
const SECRETARY_TYPES: ReadonlySet<string> = new Set(['Appointment', 'Encounter']);

/** The roles that give care: they read the clinical record (with a basis) and may self-authorise. */
export const CLINICAL_ROLES: ReadonlySet<RoleCode> = new Set(['physician', 'nurse']);

export const isClinical = (role: RoleCode | undefined): role is RoleCode => role !== undefined && CLINICAL_ROLES.has(role);

/**
 * The types of a patient's record a role may see at all (with a basis for the patient); `all`
 * for the clinical roles. A privacy officer sees none: they read the log, not the record.
 */
export const recordTypesOf = (role: RoleCode | undefined): 'all' | ReadonlySet<string> => {
  switch (role) {
    case 'physician':
    case 'nurse':
      return 'all';
    case 'secretary':
      return SECRETARY_TYPES;
    case 'privacy-officer':
    case undefined:
      return new Set();
    default: {
      const unexpected: never = role;
      throw new Error(`unknown role ${String(unexpected)}`);
    }
  }
};

/** An Encounter's administrative part: when, where, who, what kind; never why or what was found. */
const ADMINISTRATIVE_ENCOUNTER: ReadonlySet<string> = new Set([
  'resourceType', 'id', 'meta', 'identifier', 'status', 'class', 'type', 'serviceType', 'priority', 'subject',
  'participant', 'appointment', 'period', 'location', 'serviceProvider', 'partOf',
]);

/** What a secretary may see of a resource: an Encounter without reasons, diagnoses, hospitalisation or narrative. */
export const redactForRole = (role: RoleCode | undefined, stored: StoredResource): StoredResource => {
  if (role !== 'secretary' || stored.resourceType !== 'Encounter') {
    return stored;
  }
  const kept: Json = {};
  for (const [key, value] of Object.entries(stored.resource)) {
    if (ADMINISTRATIVE_ENCOUNTER.has(key)) {
      kept[key] = value;
    }
  }
  const meta = (kept.meta ?? {}) as Json;
  // Says the answer is partial (HL7 "redacted"), so no client mistakes it for the whole Encounter.
  kept.meta = { ...meta, security: [...(Array.isArray(meta.security) ? (meta.security as unknown[]) : []), { system: 'http://terminology.hl7.org/CodeSystem/v3-ObservationValue', code: 'REDACTED' }] };
  return { ...stored, resource: kept };
};
