import type { Coding, Encounter } from 'fhir/r4';
import { dateTime } from './calendar';
import { codeable } from './codeable';
import { referenceTo } from './ids';
import type { EncounterSetting } from './note-text';
import {
  ACT_CODE_SYSTEM,
  ADMIT_SOURCE_SYSTEM,
  DISCHARGE_DISPOSITION_SYSTEM,
  ENCOUNTER_TYPE_SYSTEM,
  PARTICIPATION_TYPE_SYSTEM,
  TRIAGE_SYSTEM,
} from './systems';

export type TriageColour = 'red' | 'orange' | 'yellow' | 'green' | 'blue';

const TRIAGE_DISPLAY: Record<TriageColour, string> = {
  red: 'Rød',
  orange: 'Oransje',
  yellow: 'Gul',
  green: 'Grønn',
  blue: 'Blå',
};

const SETTING: Record<EncounterSetting, { classCode: string; classDisplay: string; type: string; typeDisplay: string }> = {
  gp: { classCode: 'AMB', classDisplay: 'ambulatory', type: 'consultation', typeDisplay: 'Konsultasjon' },
  emergency: { classCode: 'EMER', classDisplay: 'emergency', type: 'emergency-visit', typeDisplay: 'Legevaktkonsultasjon' },
  'e-consultation': { classCode: 'VR', classDisplay: 'virtual', type: 'e-consultation', typeDisplay: 'E-konsultasjon' },
};

export interface EncounterInput {
  readonly id: string;
  readonly patientId: string;
  readonly setting: EncounterSetting;
  readonly start: number;
  readonly end: number;
  readonly physicianId: string;
  /** the triage nurse at the emergency centre */
  readonly nurseId?: string;
  readonly organisationId: string;
  readonly reasons: ReadonlyArray<Coding>;
  /** problem-list Conditions this visit followed up */
  readonly conditionIds: ReadonlyArray<string>;
  readonly triage?: TriageColour;
}

export const encounterResource = (input: EncounterInput): Encounter => {
  const setting = SETTING[input.setting];
  return {
    resourceType: 'Encounter',
    id: input.id,
    status: 'finished',
    class: { system: ACT_CODE_SYSTEM, code: setting.classCode, display: setting.classDisplay },
    type: [codeable(ENCOUNTER_TYPE_SYSTEM, setting.type, setting.typeDisplay)],
    ...(input.triage === undefined
      ? {}
      : { priority: codeable(TRIAGE_SYSTEM, input.triage, TRIAGE_DISPLAY[input.triage]) }),
    subject: referenceTo('Patient', input.patientId),
    participant: [
      {
        type: [codeable(PARTICIPATION_TYPE_SYSTEM, 'PPRF', 'primary performer')],
        individual: referenceTo('Practitioner', input.physicianId),
      },
      ...(input.nurseId === undefined
        ? []
        : [{ type: [codeable(PARTICIPATION_TYPE_SYSTEM, 'PART', 'Participation')], individual: referenceTo('Practitioner', input.nurseId) }]),
    ],
    period: { start: dateTime(input.start), end: dateTime(input.end) },
    reasonCode: input.reasons.map((coding) => ({ coding: [coding], ...(coding.display ? { text: coding.display } : {}) })),
    ...(input.conditionIds.length === 0
      ? {}
      : { diagnosis: input.conditionIds.map((id, rank) => ({ condition: referenceTo('Condition', id), rank: rank + 1 })) }),
    serviceProvider: referenceTo('Organization', input.organisationId),
  };
};

export interface InpatientEncounterInput {
  readonly id: string;
  readonly patientId: string;
  readonly admitted: number;
  readonly discharged: number;
  readonly physicianId: string;
  readonly hospitalId: string;
  readonly department: string;
  /** the main diagnosis, ICD-10 */
  readonly reason: Coding;
}

/** A hospital stay: admitted as an emergency, discharged home, the physician who discharged. */
export const inpatientEncounterResource = (input: InpatientEncounterInput): Encounter => ({
  resourceType: 'Encounter',
  id: input.id,
  status: 'finished',
  class: { system: ACT_CODE_SYSTEM, code: 'IMP', display: 'inpatient encounter' },
  type: [codeable(ENCOUNTER_TYPE_SYSTEM, 'hospital-stay', 'Sykehusinnleggelse')],
  serviceType: { text: input.department },
  subject: referenceTo('Patient', input.patientId),
  participant: [
    {
      type: [codeable(PARTICIPATION_TYPE_SYSTEM, 'DIS', 'discharger')],
      individual: referenceTo('Practitioner', input.physicianId),
    },
  ],
  period: { start: dateTime(input.admitted), end: dateTime(input.discharged) },
  reasonCode: [{ coding: [input.reason], ...(input.reason.display ? { text: input.reason.display } : {}) }],
  hospitalization: {
    admitSource: codeable(ADMIT_SOURCE_SYSTEM, 'emd', 'From accident/emergency department'),
    dischargeDisposition: codeable(DISCHARGE_DISPOSITION_SYSTEM, 'home', 'Home'),
  },
  serviceProvider: referenceTo('Organization', input.hospitalId),
});
