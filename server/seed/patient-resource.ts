import type {
  AllergyIntolerance,
  Composition,
  Condition,
  DocumentReference,
  Encounter,
  Flag,
  MedicationStatement,
  Observation,
  Patient,
} from 'fhir/r4';

/** Every resource type a patient batch holds. */
export type PatientResource =
  | Patient
  | Condition
  | AllergyIntolerance
  | Flag
  | MedicationStatement
  | Encounter
  | Observation
  | Composition
  | DocumentReference;
