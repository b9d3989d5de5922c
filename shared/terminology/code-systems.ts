/**
 * The code systems this module knows, by the URIs HL7 Norway uses (OIDs from the Directorate of
 * Health's Volven register). Codings we create always carry the canonical URI; lookups also accept
 * the international alias for ICPC-2 because data from other systems arrives with it.
 */
export const ICPC2_SYSTEM = 'urn:oid:2.16.578.1.12.4.1.1.7170';
export const ICPC2_SYSTEM_ALIAS = 'http://hl7.org/fhir/sid/icpc-2';
export const ICD10_SYSTEM = 'urn:oid:2.16.578.1.12.4.1.1.7110';

export type CodeSystemUri = typeof ICPC2_SYSTEM | typeof ICD10_SYSTEM;

/** The canonical URI for `system`, or undefined when it is not one this module knows. */
export const canonicalCodeSystem = (system: string): CodeSystemUri | undefined => {
  switch (system) {
    case ICPC2_SYSTEM:
    case ICPC2_SYSTEM_ALIAS:
      return ICPC2_SYSTEM;
    case ICD10_SYSTEM:
      return ICD10_SYSTEM;
    default:
      return undefined;
  }
};
