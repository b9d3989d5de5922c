import type { AllergyIntolerance, CodeableConcept, Flag } from 'fhir/r4';
import type { AgeTable } from './age-table';
import { date, DAY } from './calendar';
import { codeable } from './codeable';
import { referenceTo } from './ids';
import type { Random } from './random';
import { ALLERGY_CLINICAL_SYSTEM, ALLERGY_VERIFICATION_SYSTEM, ATC_SYSTEM, FLAG_CATEGORY_SYSTEM } from './systems';

/**
 * Allergies and intolerances, with rough Norwegian frequencies, and the critical information
 * (CAVE) they raise: a reaction that can kill (anaphylaxis, asthma attack) becomes a Flag, the
 * warning the chart shows prominently and prescribing checks against (DOMAIN.md, Medicines).
 */
type Severity = 'mild' | 'moderate' | 'severe';

interface Reaction {
  readonly manifestation: string;
  readonly severity: Severity;
  readonly critical: boolean;
}

export interface AllergyKind {
  readonly key: 'penicillin' | 'sulfonamide' | 'nsaid' | 'peanut' | 'birch-pollen' | 'wasp-venom' | 'latex';
  readonly text: string;
  readonly type: 'allergy' | 'intolerance';
  readonly category: 'medication' | 'food' | 'environment';
  readonly atc?: { readonly code: string; readonly display: string };
  readonly prevalence: AgeTable;
  readonly reactions: ReadonlyArray<readonly [Reaction, number]>;
}

const reaction = (manifestation: string, severity: Severity, critical: boolean): Reaction => ({
  manifestation,
  severity,
  critical,
});

export const ALLERGY_KINDS: ReadonlyArray<AllergyKind> = [
  {
    key: 'penicillin',
    text: 'Penicillin',
    type: 'allergy',
    category: 'medication',
    atc: { code: 'J01CE', display: 'Betalaktamasefølsomme penicilliner' },
    prevalence: [[1, 0.06]],
    reactions: [
      [reaction('Urtikaria', 'moderate', false), 0.55],
      [reaction('Utslett', 'mild', false), 0.25],
      [reaction('Anafylaksi', 'severe', true), 0.2],
    ],
  },
  {
    key: 'sulfonamide',
    text: 'Trimetoprim-sulfa',
    type: 'allergy',
    category: 'medication',
    atc: { code: 'J01EE01', display: 'sulfametoksazol og trimetoprim' },
    prevalence: [[10, 0.01]],
    reactions: [[reaction('Utslett', 'moderate', false), 1]],
  },
  {
    key: 'nsaid',
    text: 'NSAID',
    type: 'intolerance',
    category: 'medication',
    atc: { code: 'M01A', display: 'Antiinflammatoriske og antirevmatiske midler, ekskl. steroider' },
    prevalence: [[16, 0.01]],
    reactions: [
      [reaction('Astmaanfall', 'severe', true), 0.3],
      [reaction('Urtikaria', 'moderate', false), 0.7],
    ],
  },
  {
    key: 'peanut',
    text: 'Peanøtter',
    type: 'allergy',
    category: 'food',
    prevalence: [[1, 0.015]],
    reactions: [
      [reaction('Anafylaksi', 'severe', true), 0.35],
      [reaction('Hevelse i munn og svelg', 'moderate', true), 0.25],
      [reaction('Kløe i munnen', 'mild', false), 0.4],
    ],
  },
  {
    key: 'birch-pollen',
    text: 'Bjørkepollen',
    type: 'allergy',
    category: 'environment',
    prevalence: [[4, 0.1]],
    reactions: [[reaction('Rhinokonjunktivitt', 'mild', false), 1]],
  },
  {
    key: 'wasp-venom',
    text: 'Vepsestikk',
    type: 'allergy',
    category: 'environment',
    prevalence: [[5, 0.01]],
    reactions: [
      [reaction('Anafylaksi', 'severe', true), 0.6],
      [reaction('Stor lokalreaksjon', 'moderate', false), 0.4],
    ],
  },
  {
    key: 'latex',
    text: 'Lateks',
    type: 'allergy',
    category: 'environment',
    prevalence: [[18, 0.003]],
    reactions: [[reaction('Kontakteksem', 'mild', false), 1]],
  },
];

export interface RecordedAllergy {
  readonly kind: AllergyKind;
  readonly reaction: Reaction;
  readonly recordedDay: number;
}

export const drawReaction = (random: Random, kind: AllergyKind): Reaction => random.weighted(kind.reactions);

const substance = (kind: AllergyKind): CodeableConcept =>
  kind.atc === undefined ? { text: kind.text } : codeable(ATC_SYSTEM, kind.atc.code, kind.atc.display, kind.text);

export const allergyResource = (
  id: string,
  patientId: string,
  recorderId: string,
  { kind, reaction: { manifestation, severity, critical }, recordedDay }: RecordedAllergy,
): AllergyIntolerance => ({
  resourceType: 'AllergyIntolerance',
  id,
  clinicalStatus: codeable(ALLERGY_CLINICAL_SYSTEM, 'active', 'Active'),
  verificationStatus: codeable(ALLERGY_VERIFICATION_SYSTEM, 'confirmed', 'Confirmed'),
  type: kind.type,
  category: [kind.category],
  criticality: critical ? 'high' : 'low',
  code: substance(kind),
  patient: referenceTo('Patient', patientId),
  recordedDate: date(recordedDay * DAY),
  recorder: referenceTo('Practitioner', recorderId),
  reaction: [{ substance: substance(kind), manifestation: [{ text: manifestation }], severity }],
});

export interface CaveInput {
  readonly id: string;
  readonly patientId: string;
  readonly authorId: string;
  readonly category: 'drug' | 'clinical';
  readonly text: string;
  readonly fromDay: number;
}

/** Critical information (CAVE) as an active Flag. */
export const caveFlag = ({ id, patientId, authorId, category, text, fromDay }: CaveInput): Flag => ({
  resourceType: 'Flag',
  id,
  status: 'active',
  category: [codeable(FLAG_CATEGORY_SYSTEM, category, category === 'drug' ? 'Drug' : 'Clinical')],
  code: { text: `CAVE: ${text}` },
  subject: referenceTo('Patient', patientId),
  period: { start: date(fromDay * DAY) },
  author: referenceTo('Practitioner', authorId),
});
