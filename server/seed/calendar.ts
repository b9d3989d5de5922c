/**
 * Time for the generator: whole UTC days as integers and instants as epoch milliseconds.
 *
 * Every event is placed on a day before the day of `now` (day numbers up to today - 1), so nothing
 * generated can lie after `now` whatever time of day `now` is. Times of day are UTC; GP hours of
 * 07:00-15:00 UTC are 08:00-16:00 (winter) or 09:00-17:00 (summer) in Norway, close enough for
 * synthetic data, and it keeps the generator free of time-zone rules.
 */
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;
export const YEAR_DAYS = 365.25;

export const dayOf = (instant: number): number => Math.floor(instant / DAY);

/** Saturday or Sunday */
export const isWeekend = (day: number): boolean => {
  // Day 0 (1970-01-01) was a Thursday.
  const weekday = (((day + 4) % 7) + 7) % 7;
  return weekday === 0 || weekday === 6;
};

/** FHIR dateTime, to the second: 2024-03-05T09:40:00Z */
export const dateTime = (instant: number): string => new Date(instant).toISOString().replace('.000Z', 'Z');

/** FHIR date: 2024-03-05 */
export const date = (instant: number): string => new Date(instant).toISOString().slice(0, 10);

/** Norwegian short date for prose: 05.03.2024 */
export const norwegianDate = (instant: number): string => {
  const iso = date(instant);
  return `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;
};
