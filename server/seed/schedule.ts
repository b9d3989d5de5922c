import { DAY, isWeekend, MINUTE } from './calendar';
import type { Random } from './random';

/**
 * When things happen within a day: GP offices and sample-taking in office hours on weekdays, the
 * emergency centre in the evening on weekdays and all day at weekends. Times are on a five-minute
 * grid and end by 23:30 UTC, so a note signed soon after still falls on the same day.
 */
const at = (day: number, fromMinute: number, toMinute: number, random: Random): number =>
  day * DAY + random.int(fromMinute / 5, toMinute / 5) * 5 * MINUTE;

/** A day in [first, last], moved off a weekend when it can be (offices are closed). */
export const weekdayBetween = (random: Random, first: number, last: number): number => {
  let day = random.int(first, last);
  for (let attempt = 0; attempt < 3 && isWeekend(day); attempt += 1) {
    day = random.int(first, last);
  }
  return day;
};

export const officeVisitStart = (random: Random, day: number): number => at(day, 7 * 60, 14 * 60 + 30, random);

export const sampleTakingStart = (random: Random, day: number): number => at(day, 7 * 60, 9 * 60 + 30, random);

export const emergencyVisitStart = (random: Random, day: number): number =>
  isWeekend(day) ? at(day, 9 * 60, 21 * 60, random) : at(day, 16 * 60, 21 * 60 + 30, random);

/** `day`, or the nearest weekday within [first, last] when it falls on a weekend. */
export const nearestWeekday = (day: number, first: number, last: number): number => {
  if (!isWeekend(day)) {
    return day;
  }
  const saturday = !isWeekend(day - 1);
  const back = day - (saturday ? 1 : 2);
  const forward = day + (saturday ? 2 : 1);
  if (back >= first) {
    return back;
  }
  return forward <= last ? forward : day;
};
