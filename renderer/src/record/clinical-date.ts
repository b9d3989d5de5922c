/**
 * A date as a clinician types it, to the FHIR `date` (YYYY-MM-DD) it means, or null when it is
 * not one. Day first always (28.11.2026), whatever the PC's language: a browser's own date field
 * follows the OS and shows 11/28/2026 on an English Windows, where 03.04 and 04.03 are both dates.
 * Also 28112026 (typed without dots) and 2026-11-28 (pasted). Mantine's default parser reads
 * `new Date(text)`, which is month first; hence this one.
 */
export const parseClinicalDate = (text: string): string | null => {
  const value = text.trim();
  const parts =
    /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(value)?.slice(1) ??
    /^(\d{2})(\d{2})(\d{4})$/.exec(value)?.slice(1) ??
    /^(\d{4})-(\d{2})-(\d{2})$/
      .exec(value)
      ?.slice(1)
      .reverse();
  if (!parts) {
    return null;
  }
  const [day, month, year] = parts.map(Number) as [number, number, number];
  if (year < 1900 || year > 2100 || month < 1 || month > 12 || day < 1) {
    return null;
  }
  // Day 0 of the next month is the last day of this one (UTC: no time zone moves it).
  if (day > new Date(Date.UTC(year, month, 0)).getUTCDate()) {
    return null;
  }
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
};

/** YYYY-MM-DD as the field shows it: 28.11.2026. */
export const formatClinicalDate = (date: string): string => {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(date);
  return match ? `${match[3]}.${match[2]}.${match[1]}` : date;
};
