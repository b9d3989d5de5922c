/**
 * FHIR date, dateTime and instant values as half-open ranges [lo, hi): "2020" is the whole year,
 * "2020-05-03" the whole day, "2020-05-03T10:00:00+01:00" one millisecond. Dates without a time
 * zone are taken as UTC days (FHIR leaves the zone of a date open; one rule keeps search stable).
 */
export interface DateRange {
  lo: Date;
  hi: Date;
}

const DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::(\d{2})(?:\.(\d{1,9}))?)?(?:Z|[+-]\d{2}:\d{2})$/;

/** Date.UTC reads years 0-99 as 1900-1999; this does not. */
const utc = (year: number, month: number, day: number): Date => {
  const date = new Date(Date.UTC(2000, month, day));
  date.setUTCFullYear(year + (date.getUTCFullYear() - 2000));
  return date;
};

export const parseFhirDateRange = (value: string): DateRange | undefined => {
  const date = DATE.exec(value);
  if (date) {
    const year = Number(date[1]);
    const month = date[2] === undefined ? undefined : Number(date[2]) - 1;
    const day = date[3] === undefined ? undefined : Number(date[3]);
    if (month !== undefined && (month < 0 || month > 11)) {
      return undefined;
    }
    const lo = utc(year, month ?? 0, day ?? 1);
    if (day !== undefined && lo.getUTCDate() !== day) {
      return undefined;
    }
    const hi = day !== undefined ? utc(year, month ?? 0, day + 1) : month !== undefined ? utc(year, month + 1, 1) : utc(year + 1, 0, 1);
    return { lo, hi };
  }
  const dateTime = DATE_TIME.exec(value);
  if (dateTime) {
    const at = new Date(value);
    if (Number.isNaN(at.getTime())) {
      return undefined;
    }
    // As precise as it is written: to the minute, the second, or the fraction given.
    const seconds = dateTime[1];
    const fraction = dateTime[2];
    const width = seconds === undefined ? 60_000 : fraction === undefined ? 1_000 : Math.max(1, 10 ** (3 - Math.min(3, fraction.length)));
    return { lo: at, hi: new Date(at.getTime() + width) };
  }
  return undefined;
};

/** A Period: from the start of `start` to the end of `end`; an open end reaches far into the future. */
export const periodRange = (start: string | undefined, end: string | undefined): DateRange | undefined => {
  const from = start === undefined ? undefined : parseFhirDateRange(start);
  const to = end === undefined ? undefined : parseFhirDateRange(end);
  if (!from && !to) {
    return undefined;
  }
  return { lo: from?.lo ?? utc(1, 0, 1), hi: to?.hi ?? utc(9999, 11, 31) };
};
