import { byAge } from './age-table';
import type { RecordedAllergy } from './allergies';
import { ALLERGY_KINDS, drawReaction } from './allergies';
import { YEAR_DAYS } from './calendar';
import type { ChronicProblem } from './chronic-problems';
import { CHRONIC_PROBLEMS } from './chronic-problems';
import type { Medication } from './medications';
import type { Random } from './random';

/**
 * A patient's long-term problems and allergies, drawn from their age and gender today. Onsets
 * fall within the last 25 years (never before the problem's earliest age), so a problem may
 * predate the journal's history window: it was then recorded when the patient came to this GP.
 */
export interface ChronicCase {
  readonly problem: ChronicProblem;
  readonly onsetDay: number;
  readonly resolvedDay: number | undefined;
  readonly medications: ReadonlyArray<Medication>;
  /** the day treatment started: shortly after onset */
  readonly treatedFromDay: number;
}

export interface HealthProfile {
  readonly chronic: ReadonlyArray<ChronicCase>;
  readonly allergies: ReadonlyArray<RecordedAllergy>;
}

export interface ProfileInput {
  readonly gender: 'male' | 'female';
  readonly birthDay: number;
  readonly today: number;
  /** the first day of the journal's history */
  readonly firstDay: number;
  readonly lastDay: number;
}

const drawChronic = (random: Random, problem: ChronicProblem, input: ProfileInput): ChronicCase | undefined => {
  const age = (input.today - input.birthDay) / YEAR_DAYS;
  const factor = problem.genderFactor?.[input.gender] ?? 1;
  if (!random.chance(byAge(problem.prevalence, age) * factor)) {
    return undefined;
  }
  const earliest = Math.max(
    input.birthDay + Math.ceil(problem.earliestOnsetAge * YEAR_DAYS),
    input.today - Math.round(25 * YEAR_DAYS),
  );
  if (earliest > input.lastDay) {
    return undefined;
  }
  const onsetDay = random.int(earliest, input.lastDay);
  const resolvedDay =
    onsetDay + 180 <= input.lastDay && random.chance(problem.resolves) ? random.int(onsetDay + 180, input.lastDay) : undefined;
  return {
    problem,
    onsetDay,
    resolvedDay,
    medications: problem.medications(random),
    treatedFromDay: Math.min(input.lastDay, onsetDay + random.int(0, 30)),
  };
};

export const drawHealthProfile = (random: Random, input: ProfileInput): HealthProfile => {
  const chronic = CHRONIC_PROBLEMS.map((problem) => drawChronic(random, problem, input)).filter(
    (found): found is ChronicCase => found !== undefined,
  );
  const age = (input.today - input.birthDay) / YEAR_DAYS;
  const allergies: RecordedAllergy[] = [];
  for (const kind of ALLERGY_KINDS) {
    const fromAge = kind.prevalence[0]?.[0] ?? 0;
    const first = Math.max(input.firstDay, input.birthDay + Math.ceil(fromAge * YEAR_DAYS));
    if (first <= input.lastDay && random.chance(byAge(kind.prevalence, age))) {
      allergies.push({ kind, reaction: drawReaction(random, kind), recordedDay: random.int(first, input.lastDay) });
    }
  }
  return { chronic, allergies };
};
