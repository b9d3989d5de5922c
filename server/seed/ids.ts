import type { Random } from './random';

/**
 * Ids of generated resources: UUIDs drawn from a per-patient id stream (separate from the stream
 * that decides the content), formatted as RFC 9562 version 8 ("custom") UUIDs.
 *
 * Why UUIDs rather than `Patient-17`: they look like the ids the server assigns to resources
 * created later, fit a PostgreSQL `uuid` column, differ between seeds (two generated populations
 * can share a database), and do not suggest an order or a count to someone reading a URL.
 * Why version 8: these are derived, not random, so claiming version 4 would be a lie; version 8
 * is the layout RFC 9562 reserves for exactly this, and zod's uuid() and PostgreSQL accept it.
 * Why a separate stream: adding a field to a resource does not change any id.
 */
// Hex by byte from a table: this runs for every resource of a 100,000-patient population, and
// Number#toString(16) with padding was the generator's single hottest function.
const BYTE_HEX: ReadonlyArray<string> = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));
const hexByte = (byte: number): string => BYTE_HEX[byte] ?? '00';
const hex8 = (value: number): string =>
  hexByte(value >>> 24) + hexByte((value >>> 16) & 0xff) + hexByte((value >>> 8) & 0xff) + hexByte(value & 0xff);

export const uuidFrom = (random: Random): string => {
  const a = hex8(random.uint32());
  const b = hex8(random.uint32());
  // the variant: the two top bits of the fourth group are 10
  const c = hex8((random.uint32() & 0x3fffffff) | 0x80000000);
  const d = hex8(random.uint32());
  // the version nibble, 8, starts the third group
  return `${a}-${b.slice(0, 4)}-8${b.slice(5)}-${c.slice(0, 4)}-${c.slice(4)}${d}`;
};

export type ResourceType =
  | 'AllergyIntolerance'
  | 'Composition'
  | 'Condition'
  | 'DocumentReference'
  | 'Encounter'
  | 'Flag'
  | 'MedicationStatement'
  | 'Observation'
  | 'Organization'
  | 'Patient'
  | 'Practitioner'
  | 'PractitionerRole';

/** A relative literal reference, `Type/id`, as FHIR REST resolves it against the server base. */
export const referenceTo = (type: ResourceType, id: string): { reference: string } => ({ reference: `${type}/${id}` });
