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
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})$/;

export const parseFhirDateRange = (value: string): DateRange | undefined => {
  const date = DATE.exec(value);
  if (date) {
    const year = Number(date[1]);
    const month = date[2] === undefined ? undefined : Number(date[2]) - 1;
    const day = date[3] === undefined ? undefined : Number(date[3]);
    if (month !== undefined && (month < 0 || month > 11)) {
      return undefined;
    }
    const lo = new Date(Date.UTC(year, month ?? 0, day ?? 1));
    if (day !== undefined && lo.getUTCDate() !== day) {
      return undefined;
    }
    const hi =
      day !== undefined
        ? new Date(Date.UTC(year, month ?? 0, day + 1))
        : month !== undefined
          ? new Date(Date.UTC(year, month + 1, 1))
          : new Date(Date.UTC(year + 1, 0, 1));
    return { lo, hi };
  }
  if (DATE_TIME.test(value)) {
    const at = new Date(value);
    if (Number.isNaN(at.getTime())) {
      return undefined;
    }
    return { lo: at, hi: new Date(at.getTime() + 1) };
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
  return { lo: from?.lo ?? new Date(Date.UTC(1, 0, 1)), hi: to?.hi ?? new Date(Date.UTC(9999, 11, 31)) };
};
