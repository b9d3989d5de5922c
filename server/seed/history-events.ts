import type { AcuteProblem } from './acute-problems';
import { ACUTE_PROBLEMS } from './acute-problems';
import type { AgeTable } from './age-table';
import { byAge } from './age-table';
import { YEAR_DAYS } from './calendar';
import type { ChronicCase } from './health-profile';
import { WARFARIN_ATC } from './medications';
import type { EncounterSetting } from './note-text';
import type { Person } from './patient';
import type { Random } from './random';
import { emergencyVisitStart, nearestWeekday, officeVisitStart, sampleTakingStart, weekdayBetween } from './schedule';

/**
 * What happens in a patient's history, planned before any resource is written: follow-up visits
 * for long-term problems, one-off contacts, and INR samples on warfarin, each with the instant it
 * starts. The history window is 0-15 years and contacts per year follow age, so most young
 * patients have a handful of visits while the old and chronically ill have many; the caps keep
 * the worst case near 200 resources.
 */

/** most recent follow-up visits kept per patient */
export const MAX_FOLLOW_UPS = 24;
/** one-off contacts per patient at most */
export const MAX_ACUTE_CONTACTS = 20;
/** INR is followed for the last two years of warfarin use */
const INR_HISTORY_DAYS = Math.round(2 * YEAR_DAYS);

/** one-off contacts a year worth a note in this data set, by age */
const ACUTE_CONTACTS_PER_YEAR: AgeTable = [[0, 1], [6, 0.45], [18, 0.5], [45, 0.6], [65, 0.8], [80, 1]];

/** `start` is the instant the visit (or the sample) begins; events are written in its order. */
export interface FollowUpEvent {
  readonly kind: 'follow-up';
  readonly day: number;
  readonly start: number;
  readonly cases: ReadonlyArray<ChronicCase>;
}

export interface AcuteEvent {
  readonly kind: 'acute';
  readonly day: number;
  readonly start: number;
  readonly problem: AcuteProblem;
  readonly setting: EncounterSetting;
}

export interface InrEvent {
  readonly kind: 'inr';
  readonly day: number;
  readonly start: number;
}

export type HistoryEvent = FollowUpEvent | AcuteEvent | InrEvent;

const ageOn = (person: Person, day: number): number => (day - person.birthDay) / YEAR_DAYS;

const followUpEvents = (
  random: Random,
  chronic: ReadonlyArray<ChronicCase>,
  firstDay: number,
  lastDay: number,
): FollowUpEvent[] => {
  const followed = chronic.filter((found) => (found.resolvedDay ?? lastDay) >= firstDay);
  if (followed.length === 0) {
    return [];
  }
  const rate = Math.max(...followed.map((found) => found.problem.followUpsPerYear)) + 0.25 * (followed.length - 1);
  const interval = YEAR_DAYS / rate;
  const events: FollowUpEvent[] = [];
  let day = Math.max(firstDay, Math.min(...followed.map((found) => found.onsetDay))) + random.int(0, Math.round(interval));
  while (day <= lastDay) {
    const visitDay = nearestWeekday(day, firstDay, lastDay);
    const current = followed
      .filter((found) => found.onsetDay <= visitDay && (found.resolvedDay ?? lastDay) >= visitDay)
      .sort((a, b) => b.problem.followUpsPerYear - a.problem.followUpsPerYear);
    const [main, ...others] = current;
    if (main !== undefined) {
      const cases = [main, ...others.filter((found) => random.chance(found.problem.followUpsPerYear / rate))];
      events.push({ kind: 'follow-up', day: visitDay, start: officeVisitStart(random, visitDay), cases });
    }
    day += Math.max(28, Math.round(interval * random.float(0.75, 1.25)));
  }
  return events.slice(-MAX_FOLLOW_UPS);
};

const acuteEvents = (random: Random, person: Person, firstDay: number, lastDay: number): AcuteEvent[] => {
  if (firstDay > lastDay) {
    return [];
  }
  const years = (lastDay - firstDay + 1) / YEAR_DAYS;
  const midAge = ageOn(person, (firstDay + lastDay) / 2);
  const womenAdultFactor = person.gender === 'female' && midAge >= 18 && midAge < 65 ? 1.4 : 1;
  const count = Math.min(MAX_ACUTE_CONTACTS, random.poisson(byAge(ACUTE_CONTACTS_PER_YEAR, midAge) * womenAdultFactor * years));
  const events: AcuteEvent[] = [];
  for (let i = 0; i < count; i += 1) {
    const anyDay = random.int(firstDay, lastDay);
    const age = ageOn(person, anyDay);
    const candidates = ACUTE_PROBLEMS.map(
      (problem) => [problem, byAge(problem.weight, age) * (problem.genderFactor?.[person.gender] ?? 1)] as const,
    ).filter(([, weight]) => weight > 0);
    if (candidates.length === 0) {
      continue;
    }
    const problem = random.weighted(candidates);
    const setting: EncounterSetting = random.chance(problem.emergencyShare)
      ? 'emergency'
      : age >= 16 && random.chance(problem.remoteShare)
        ? 'e-consultation'
        : 'gp';
    // The emergency centre is open every day; offices only on weekdays.
    const day = setting === 'emergency' ? anyDay : nearestWeekday(anyDay, firstDay, lastDay);
    const start = setting === 'emergency' ? emergencyVisitStart(random, day) : officeVisitStart(random, day);
    events.push({ kind: 'acute', day, start, problem, setting });
  }
  return events;
};

const inrEvents = (random: Random, chronic: ReadonlyArray<ChronicCase>, firstDay: number, lastDay: number): InrEvent[] => {
  const onWarfarin = chronic.find((found) => found.medications.some((medication) => medication.atc === WARFARIN_ATC));
  if (onWarfarin === undefined) {
    return [];
  }
  const events: InrEvent[] = [];
  let day = Math.max(firstDay, onWarfarin.treatedFromDay + 7, lastDay - INR_HISTORY_DAYS);
  while (day <= lastDay) {
    const sampleDay = weekdayBetween(random, day, Math.min(lastDay, day + 2));
    events.push({ kind: 'inr', day: sampleDay, start: sampleTakingStart(random, sampleDay) });
    day += random.int(35, 49);
  }
  return events;
};

/** All events of the history window [firstDay, lastDay], in the order they happened. */
export const planHistory = (
  random: Random,
  person: Person,
  chronic: ReadonlyArray<ChronicCase>,
  firstDay: number,
  lastDay: number,
): HistoryEvent[] =>
  [
    ...followUpEvents(random, chronic, firstDay, lastDay),
    ...acuteEvents(random, person, firstDay, lastDay),
    ...inrEvents(random, chronic, firstDay, lastDay),
  ].sort((a, b) => a.start - b.start);
