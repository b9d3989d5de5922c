import type { AgeTable } from './age-table';
import type { Medication } from './medications';
import { MEDICATIONS as M } from './medications';
import type { Random } from './random';

/**
 * The long-term problems a GP follows, with roughly Norwegian prevalence by age (the share of
 * people of that age who have it: Norwegian Institute of Public Health figures, rounded), so most
 * young people have none and most people over 75 have one or more. Codes are ICPC-2 and are
 * turned into Codings by shared/terminology, which fails at once if a code ever leaves the list.
 */
export type ChronicKey =
  | 'diabetes-2'
  | 'diabetes-1'
  | 'hypertension'
  | 'asthma'
  | 'copd'
  | 'depression'
  | 'anxiety'
  | 'atrial-fibrillation'
  | 'hypothyroidism'
  | 'heart-failure'
  | 'angina'
  | 'hyperlipidaemia'
  | 'hip-arthrosis'
  | 'knee-arthrosis'
  | 'migraine'
  | 'eczema';

/** What a follow-up measures: `egfr-yearly` at about one visit a year, the others every time. */
export type FollowUpLab = 'hba1c' | 'blood-pressure' | 'egfr' | 'egfr-yearly';

export interface ChronicProblem {
  readonly key: ChronicKey;
  readonly icpc2: string;
  readonly prevalence: AgeTable;
  /** multiplies prevalence by gender (hypothyroidism and migraine are commoner in women) */
  readonly genderFactor?: { readonly female: number; readonly male: number };
  readonly earliestOnsetAge: number;
  readonly followUpsPerYear: number;
  readonly labs: ReadonlyArray<FollowUpLab>;
  /** chance that the problem has since resolved (inactive on the problem list) */
  readonly resolves: number;
  readonly medications: (random: Random) => Medication[];
}

const one = (...choices: Medication[]) => (random: Random) => [random.pick(choices)];

export const CHRONIC_PROBLEMS: ReadonlyArray<ChronicProblem> = [
  {
    key: 'hypertension',
    icpc2: 'K86',
    prevalence: [[18, 0.02], [40, 0.1], [50, 0.22], [65, 0.4], [80, 0.5]],
    earliestOnsetAge: 25,
    followUpsPerYear: 1,
    labs: ['blood-pressure', 'egfr-yearly'],
    resolves: 0,
    medications: (random) => {
      const first = random.pick([M.amlodipine, M.losartan, M.ramipril]);
      return random.chance(0.3) && first !== M.amlodipine ? [first, M.amlodipine] : [first];
    },
  },
  {
    key: 'diabetes-2',
    icpc2: 'T90',
    prevalence: [[18, 0.005], [40, 0.04], [50, 0.07], [65, 0.12], [80, 0.14]],
    earliestOnsetAge: 25,
    followUpsPerYear: 2,
    labs: ['hba1c', 'blood-pressure', 'egfr-yearly'],
    resolves: 0,
    medications: (random) => {
      const add = random.weighted([[M.empagliflozin, 0.4], [M.sitagliptin, 0.2], [undefined, 0.4]] as const);
      return add === undefined ? [M.metformin] : [M.metformin, add];
    },
  },
  {
    key: 'diabetes-1',
    icpc2: 'T89',
    prevalence: [[1, 0.002], [6, 0.004], [18, 0.005]],
    earliestOnsetAge: 1,
    followUpsPerYear: 1,
    labs: ['hba1c', 'blood-pressure', 'egfr-yearly'],
    resolves: 0,
    medications: () => [M.insulinAspart, M.insulinGlargine],
  },
  {
    key: 'asthma',
    icpc2: 'R96',
    prevalence: [[0, 0.02], [3, 0.08], [18, 0.07]],
    earliestOnsetAge: 1,
    followUpsPerYear: 0.5,
    labs: [],
    resolves: 0.15,
    medications: (random) => (random.chance(0.6) ? [M.salbutamol, M.budesonideFormoterol] : [M.salbutamol]),
  },
  {
    key: 'copd',
    icpc2: 'R95',
    prevalence: [[40, 0.015], [55, 0.05], [70, 0.09]],
    earliestOnsetAge: 40,
    followUpsPerYear: 1,
    labs: [],
    resolves: 0,
    medications: () => [M.tiotropium, M.salbutamol],
  },
  {
    key: 'depression',
    icpc2: 'P76',
    prevalence: [[13, 0.03], [18, 0.07], [65, 0.05]],
    genderFactor: { female: 1.4, male: 0.7 },
    earliestOnsetAge: 13,
    followUpsPerYear: 1.5,
    labs: [],
    resolves: 0.35,
    medications: one(M.sertraline, M.escitalopram),
  },
  {
    key: 'anxiety',
    icpc2: 'P74',
    prevalence: [[13, 0.03], [18, 0.05], [65, 0.03]],
    genderFactor: { female: 1.4, male: 0.7 },
    earliestOnsetAge: 13,
    followUpsPerYear: 0.7,
    labs: [],
    resolves: 0.3,
    medications: (random) => (random.chance(0.5) ? [M.escitalopram] : []),
  },
  {
    key: 'atrial-fibrillation',
    icpc2: 'K78',
    prevalence: [[50, 0.01], [65, 0.05], [75, 0.11], [85, 0.15]],
    earliestOnsetAge: 45,
    followUpsPerYear: 1,
    labs: ['blood-pressure', 'egfr'],
    resolves: 0,
    medications: (random) => [
      // Most Norwegians with atrial fibrillation now use a DOAC; about a third still use warfarin.
      random.chance(0.35) ? M.warfarin : M.apixaban,
      ...(random.chance(0.7) ? [M.metoprolol] : []),
    ],
  },
  {
    key: 'hypothyroidism',
    icpc2: 'T86',
    prevalence: [[18, 0.02], [40, 0.05], [65, 0.08]],
    genderFactor: { female: 1.7, male: 0.25 },
    earliestOnsetAge: 18,
    followUpsPerYear: 0.5,
    labs: [],
    resolves: 0,
    medications: () => [M.levothyroxine],
  },
  {
    key: 'heart-failure',
    icpc2: 'K77',
    prevalence: [[65, 0.02], [75, 0.05], [85, 0.09]],
    earliestOnsetAge: 60,
    followUpsPerYear: 2,
    labs: ['blood-pressure', 'egfr'],
    resolves: 0,
    medications: () => [M.furosemide, M.ramipril, M.bisoprolol],
  },
  {
    key: 'angina',
    icpc2: 'K74',
    prevalence: [[50, 0.02], [65, 0.06], [80, 0.09]],
    genderFactor: { female: 0.6, male: 1.4 },
    earliestOnsetAge: 45,
    followUpsPerYear: 1,
    labs: ['blood-pressure'],
    resolves: 0,
    medications: () => [M.acetylsalicylicAcid, M.glyceryl, M.atorvastatin],
  },
  {
    key: 'hyperlipidaemia',
    icpc2: 'T93',
    prevalence: [[40, 0.05], [55, 0.12], [70, 0.15]],
    earliestOnsetAge: 35,
    followUpsPerYear: 0.5,
    labs: [],
    resolves: 0,
    medications: one(M.atorvastatin, M.simvastatin),
  },
  {
    key: 'hip-arthrosis',
    icpc2: 'L89',
    prevalence: [[55, 0.03], [70, 0.08]],
    earliestOnsetAge: 50,
    followUpsPerYear: 0.5,
    labs: [],
    resolves: 0,
    medications: () => [M.paracetamol],
  },
  {
    key: 'knee-arthrosis',
    icpc2: 'L90',
    prevalence: [[50, 0.04], [70, 0.1]],
    earliestOnsetAge: 45,
    followUpsPerYear: 0.5,
    labs: [],
    resolves: 0,
    medications: () => [M.paracetamol],
  },
  {
    key: 'migraine',
    icpc2: 'N89',
    prevalence: [[12, 0.04], [18, 0.08], [55, 0.04]],
    genderFactor: { female: 1.5, male: 0.5 },
    earliestOnsetAge: 10,
    followUpsPerYear: 0.3,
    labs: [],
    resolves: 0.2,
    medications: () => [M.sumatriptan],
  },
  {
    key: 'eczema',
    icpc2: 'S87',
    prevalence: [[0, 0.12], [6, 0.07], [18, 0.03]],
    earliestOnsetAge: 0,
    followUpsPerYear: 0.3,
    labs: [],
    resolves: 0.3,
    medications: () => [M.hydrocortisone],
  },
];
