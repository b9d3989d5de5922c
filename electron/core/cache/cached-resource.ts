/** FHIR resources as the cache sees them: loosely typed, since it stores JSON and reads a few fields. */
export type FhirResource = {
  resourceType: string;
  id?: string;
  meta?: { versionId?: string; lastUpdated?: string } & Record<string, unknown>;
} & Record<string, unknown>;

const PATIENT_REFERENCE = /(?:^|\/)Patient\/([^/]+)(?:\/_history\/[^/]+)?$/;

const referencedPatient = (value: unknown): string | null => {
  if (value === null || typeof value !== 'object') {
    return null;
  }
  const reference = (value as { reference?: unknown }).reference;
  return typeof reference === 'string' ? (PATIENT_REFERENCE.exec(reference)?.[1] ?? null) : null;
};

/** The patient a resource belongs to: a Patient itself, else its `subject` or `patient` reference. */
export const patientIdOf = (resource: FhirResource): string | null => {
  if (resource.resourceType === 'Patient') {
    return resource.id ?? null;
  }
  return referencedPatient(resource['subject']) ?? referencedPatient(resource['patient']);
};

/**
 * True when `incoming` should replace `existing`. FHIR versionIds are opaque, but ours (and most
 * servers') are integers, so those compare as numbers; otherwise lastUpdated decides; failing both, a
 * different version wins (the server is the source of truth). The same version is never newer.
 */
export const isNewerVersion = (
  incoming: { versionId: string | null; lastUpdated: string | null },
  existing: { versionId: string | null; lastUpdated: string | null },
): boolean => {
  if (incoming.versionId !== null && incoming.versionId === existing.versionId) {
    return false;
  }
  const integer = /^\d+$/;
  if (incoming.versionId !== null && existing.versionId !== null && integer.test(incoming.versionId) && integer.test(existing.versionId)) {
    return BigInt(incoming.versionId) > BigInt(existing.versionId);
  }
  const incomingTime = incoming.lastUpdated === null ? Number.NaN : Date.parse(incoming.lastUpdated);
  const existingTime = existing.lastUpdated === null ? Number.NaN : Date.parse(existing.lastUpdated);
  if (!Number.isNaN(incomingTime) && !Number.isNaN(existingTime)) {
    return incomingTime > existingTime;
  }
  return incoming.versionId !== existing.versionId || incoming.versionId === null;
};
