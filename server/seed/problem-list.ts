import type { Coding, Condition, MedicationStatement } from 'fhir/r4';
import { date, DAY } from './calendar';
import { codeable } from './codeable';
import { referenceTo } from './ids';
import type { Medication } from './medications';
import {
  ATC_SYSTEM,
  CONDITION_CATEGORY_SYSTEM,
  CONDITION_CLINICAL_SYSTEM,
  CONDITION_VERIFICATION_SYSTEM,
} from './systems';

/** The problem list (Conditions, ICPC-2) and the medication list built on it. */
export interface ConditionInput {
  readonly id: string;
  readonly patientId: string;
  readonly coding: Coding;
  readonly onsetDay: number;
  readonly recordedDay: number;
  readonly recorderId: string;
  /** the day it resolved, for a problem no longer active */
  readonly resolvedDay: number | undefined;
}

export const conditionResource = (input: ConditionInput): Condition => ({
  resourceType: 'Condition',
  id: input.id,
  clinicalStatus: codeable(
    CONDITION_CLINICAL_SYSTEM,
    input.resolvedDay === undefined ? 'active' : 'resolved',
    input.resolvedDay === undefined ? 'Active' : 'Resolved',
  ),
  verificationStatus: codeable(CONDITION_VERIFICATION_SYSTEM, 'confirmed', 'Confirmed'),
  category: [codeable(CONDITION_CATEGORY_SYSTEM, 'problem-list-item', 'Problem List Item')],
  code: { coding: [input.coding], ...(input.coding.display ? { text: input.coding.display } : {}) },
  subject: referenceTo('Patient', input.patientId),
  onsetDateTime: date(input.onsetDay * DAY),
  ...(input.resolvedDay === undefined ? {} : { abatementDateTime: date(input.resolvedDay * DAY) }),
  recordedDate: date(input.recordedDay * DAY),
  recorder: referenceTo('Practitioner', input.recorderId),
});

export interface MedicationStatementInput {
  readonly id: string;
  readonly patientId: string;
  readonly medication: Medication;
  readonly startDay: number;
  readonly endDay: number | undefined;
  readonly conditionIds: ReadonlyArray<string>;
  readonly informationSourceId: string;
}

export const medicationStatementResource = (input: MedicationStatementInput): MedicationStatement => ({
  resourceType: 'MedicationStatement',
  id: input.id,
  status: input.endDay === undefined ? 'active' : 'completed',
  medicationCodeableConcept: codeable(ATC_SYSTEM, input.medication.atc, input.medication.substance, input.medication.product),
  subject: referenceTo('Patient', input.patientId),
  effectivePeriod: {
    start: date(input.startDay * DAY),
    ...(input.endDay === undefined ? {} : { end: date(input.endDay * DAY) }),
  },
  dateAsserted: date(input.startDay * DAY),
  informationSource: referenceTo('Practitioner', input.informationSourceId),
  reasonReference: input.conditionIds.map((id) => referenceTo('Condition', id)),
  dosage: [{ text: input.medication.dosage }],
});
