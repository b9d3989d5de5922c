import type { Observation, Quantity } from 'fhir/r4';
import { dateTime } from './calendar';
import { codeable } from './codeable';
import { referenceTo } from './ids';
import type { LabKind } from './lab-kinds';
import { BLOOD_PRESSURE } from './lab-kinds';
import { decimal } from './note-text';
import {
  INTERPRETATION_SYSTEM,
  LOINC_SYSTEM,
  OBSERVATION_CATEGORY_SYSTEM,
  REFERENCE_RANGE_MEANING_SYSTEM,
  UCUM_SYSTEM,
} from './systems';

export interface ObservationInput {
  readonly id: string;
  readonly patientId: string;
  /** absent for a sample taken without a consultation (INR at the office nurse) */
  readonly encounterId: string | undefined;
  readonly instant: number;
  /** who took the sample, when it was not taken in a consultation; in hospital the responsible physician */
  readonly performerId?: string;
  /** the organisation whose laboratory analysed it (the hospital's results) */
  readonly organisationId?: string;
}

const quantity = (value: number, unit: string, ucum: string): Quantity => ({ value, unit, system: UCUM_SYSTEM, code: ucum });

const category = (code: 'laboratory' | 'vital-signs', display: string) => [
  codeable(OBSERVATION_CATEGORY_SYSTEM, code, display),
];

const common = ({ id, patientId, encounterId, instant, performerId, organisationId }: ObservationInput) => {
  const performer = [
    ...(performerId === undefined ? [] : [referenceTo('Practitioner', performerId)]),
    ...(organisationId === undefined ? [] : [referenceTo('Organization', organisationId)]),
  ];
  return {
    resourceType: 'Observation' as const,
    id,
    status: 'final' as const,
    subject: referenceTo('Patient', patientId),
    ...(encounterId === undefined ? {} : { encounter: referenceTo('Encounter', encounterId) }),
    effectiveDateTime: dateTime(instant),
    ...(performer.length === 0 ? {} : { performer }),
  };
};

const interpretation = (kind: LabKind, value: number) => {
  const { low, high } = kind.range;
  if (high !== undefined && value > high) {
    return codeable(INTERPRETATION_SYSTEM, 'H', 'High');
  }
  if (low !== undefined && value < low) {
    return codeable(INTERPRETATION_SYSTEM, 'L', 'Low');
  }
  return codeable(INTERPRETATION_SYSTEM, 'N', 'Normal');
};

const rangeText = ({ range, unit, decimals }: LabKind): string => {
  const format = (value: number) => decimal(value, decimals);
  if (range.low !== undefined && range.high !== undefined) {
    return `${format(range.low)}–${format(range.high)} ${unit}`;
  }
  return range.low === undefined ? `< ${format(range.high ?? 0)} ${unit}` : `> ${format(range.low)} ${unit}`;
};

export const labObservation = (input: ObservationInput, kind: LabKind, value: number): Observation => ({
  ...common(input),
  category: category('laboratory', 'Laboratory'),
  code: codeable(LOINC_SYSTEM, kind.loinc, kind.loincDisplay, kind.text),
  valueQuantity: quantity(value, kind.unit, kind.ucum),
  interpretation: [interpretation(kind, value)],
  referenceRange: [
    {
      ...(kind.range.low === undefined ? {} : { low: quantity(kind.range.low, kind.unit, kind.ucum) }),
      ...(kind.range.high === undefined ? {} : { high: quantity(kind.range.high, kind.unit, kind.ucum) }),
      type: codeable(REFERENCE_RANGE_MEANING_SYSTEM, kind.range.meaning, kind.range.meaning === 'normal' ? 'Normal Range' : 'Therapeutic Desired Level'),
      text: rangeText(kind),
    },
  ],
});

export const bloodPressureObservation = (
  input: ObservationInput,
  { systolic, diastolic }: { readonly systolic: number; readonly diastolic: number },
): Observation => {
  const { panel, unit, ucum } = BLOOD_PRESSURE;
  const component = (part: { loinc: string; display: string; text: string }, value: number) => ({
    code: codeable(LOINC_SYSTEM, part.loinc, part.display, part.text),
    valueQuantity: quantity(value, unit, ucum),
  });
  return {
    ...common(input),
    category: category('vital-signs', 'Vital Signs'),
    code: codeable(LOINC_SYSTEM, panel.loinc, panel.display, panel.text),
    component: [component(BLOOD_PRESSURE.systolic, systolic), component(BLOOD_PRESSURE.diastolic, diastolic)],
  };
};
