import type { AgeTable } from './age-table';

/**
 * Reasons for a one-off contact, weighted by age (children: colds, ear infections and stomach
 * bugs; adults: backs, urinary infections, certificates; the old: pneumonia, dizziness), with
 * where they tend to be seen and whether a CRP is taken (point-of-care CRP is routine in Norwegian
 * general practice for suspected infection). Codes are ICPC-2.
 */
export type AcuteKey =
  | 'upper-respiratory-infection'
  | 'bronchitis'
  | 'pneumonia'
  | 'influenza'
  | 'sinusitis'
  | 'strep-throat'
  | 'otitis'
  | 'urinary-tract-infection'
  | 'gastroenteritis'
  | 'conjunctivitis'
  | 'low-back-pain'
  | 'neck-pain'
  | 'headache'
  | 'fatigue'
  | 'sleep-problems'
  | 'laceration'
  | 'ankle-sprain'
  | 'certificate'
  | 'pregnancy'
  | 'fungal-skin-infection'
  | 'vertigo';

export interface AcuteProblem {
  readonly key: AcuteKey;
  readonly icpc2: string;
  /** relative frequency among one-off contacts at a given age */
  readonly weight: AgeTable;
  readonly genderFactor?: { readonly female: number; readonly male: number };
  /** share seen at the emergency centre rather than at the GP office */
  readonly emergencyShare: number;
  /** share of GP contacts handled as an e-consultation */
  readonly remoteShare: number;
  /** CRP range in mg/L when one is taken; low values are likelier (see lab-courses) */
  readonly crp?: readonly [number, number];
  readonly symptomDays: readonly [number, number];
}

const problem = (
  key: AcuteKey,
  icpc2: string,
  weight: AgeTable,
  options: Omit<AcuteProblem, 'key' | 'icpc2' | 'weight'>,
): AcuteProblem => ({ key, icpc2, weight, ...options });

export const ACUTE_PROBLEMS: ReadonlyArray<AcuteProblem> = [
  problem('upper-respiratory-infection', 'R74', [[0, 30], [6, 20], [18, 12], [45, 8], [65, 6]], {
    emergencyShare: 0.08, remoteShare: 0.15, crp: [1, 25], symptomDays: [2, 7],
  }),
  problem('bronchitis', 'R78', [[0, 6], [6, 4], [18, 5], [45, 6], [65, 7]], {
    emergencyShare: 0.1, remoteShare: 0, crp: [2, 45], symptomDays: [5, 14],
  }),
  problem('pneumonia', 'R81', [[0, 2], [6, 1], [18, 1], [45, 2], [65, 4], [80, 6]], {
    emergencyShare: 0.3, remoteShare: 0, crp: [50, 230], symptomDays: [2, 6],
  }),
  problem('influenza', 'R80', [[0, 3], [6, 4], [18, 5], [45, 4], [65, 3]], {
    emergencyShare: 0.15, remoteShare: 0, crp: [2, 40], symptomDays: [1, 3],
  }),
  problem('sinusitis', 'R75', [[6, 2], [18, 6], [45, 5], [65, 3]], {
    emergencyShare: 0.05, remoteShare: 0, crp: [2, 50], symptomDays: [7, 14],
  }),
  problem('strep-throat', 'R72', [[2, 6], [6, 8], [18, 4], [45, 1]], {
    emergencyShare: 0.15, remoteShare: 0, crp: [10, 90], symptomDays: [1, 3],
  }),
  problem('otitis', 'H71', [[0, 25], [6, 6], [18, 1]], {
    emergencyShare: 0.3, remoteShare: 0, crp: [2, 60], symptomDays: [1, 3],
  }),
  problem('urinary-tract-infection', 'U71', [[0, 2], [6, 2], [18, 10], [45, 9], [65, 10]], {
    genderFactor: { female: 1.8, male: 0.2 }, emergencyShare: 0.15, remoteShare: 0.25, crp: [1, 30], symptomDays: [1, 4],
  }),
  problem('gastroenteritis', 'D73', [[0, 12], [6, 6], [18, 4], [45, 3], [65, 3]], {
    emergencyShare: 0.2, remoteShare: 0, crp: [1, 35], symptomDays: [1, 3],
  }),
  problem('conjunctivitis', 'F70', [[0, 8], [6, 3], [18, 2]], {
    emergencyShare: 0.1, remoteShare: 0.1, symptomDays: [1, 4],
  }),
  problem('low-back-pain', 'L03', [[14, 2], [18, 10], [45, 10], [65, 6]], {
    emergencyShare: 0.1, remoteShare: 0, symptomDays: [1, 10],
  }),
  problem('neck-pain', 'L01', [[14, 1], [18, 6], [45, 5], [65, 3]], {
    emergencyShare: 0.05, remoteShare: 0, symptomDays: [2, 14],
  }),
  problem('headache', 'N01', [[6, 2], [18, 4], [45, 3], [65, 2]], {
    emergencyShare: 0.1, remoteShare: 0, symptomDays: [3, 21],
  }),
  problem('fatigue', 'A04', [[14, 2], [18, 5], [45, 4], [65, 3]], {
    emergencyShare: 0, remoteShare: 0, crp: [1, 6], symptomDays: [21, 90],
  }),
  problem('sleep-problems', 'P06', [[18, 3], [45, 3], [65, 3]], {
    emergencyShare: 0, remoteShare: 0.2, symptomDays: [21, 90],
  }),
  problem('laceration', 'S18', [[2, 4], [6, 5], [18, 4], [45, 3], [65, 2]], {
    emergencyShare: 0.85, remoteShare: 0, symptomDays: [0, 0],
  }),
  problem('ankle-sprain', 'L77', [[6, 4], [18, 4], [45, 2], [65, 1]], {
    emergencyShare: 0.75, remoteShare: 0, symptomDays: [0, 0],
  }),
  problem('certificate', 'A97', [[16, 2], [18, 4], [45, 3], [70, 8]], {
    emergencyShare: 0, remoteShare: 0, symptomDays: [0, 0],
  }),
  problem('pregnancy', 'W78', [[20, 4], [30, 5], [40, 1], [43, 0]], {
    genderFactor: { female: 1, male: 0 }, emergencyShare: 0, remoteShare: 0, symptomDays: [0, 0],
  }),
  problem('fungal-skin-infection', 'S74', [[6, 1], [18, 2], [45, 2], [65, 2]], {
    emergencyShare: 0, remoteShare: 0.2, symptomDays: [14, 60],
  }),
  problem('vertigo', 'N17', [[18, 1], [45, 2], [65, 4], [80, 5]], {
    emergencyShare: 0.2, remoteShare: 0, symptomDays: [2, 14],
  }),
];
