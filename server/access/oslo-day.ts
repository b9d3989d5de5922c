// Made once: an Intl.DateTimeFormat costs a fraction of a millisecond to construct (it loads the
// ICU time-zone data), and the need policy asks for today's start on every request.
const osloDate = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Oslo' });
const osloOffset = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Oslo', timeZoneName: 'longOffset' });

/** Norway's UTC offset at `at`, as "+01:00" or "+02:00". */
const offsetAt = (at: Date): string => {
  const name = osloOffset.formatToParts(at).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT+01:00';
  const match = /GMT([+-]\d{2}):?(\d{2})?/.exec(name);
  return match ? `${match[1] ?? '+01'}:${match[2] ?? '00'}` : '+01:00';
};

/** The start of the calendar day in Norway (Europe/Oslo) that `at` falls on, as an instant. */
export const startOfOsloDay = (at: Date): Date => {
  const day = osloDate.format(at);
  // Midnight usually has the offset of the moment asked about; on the two nights the clocks
  // change (at 02:00 or 03:00) it has the other one, so it is checked at the midnight found.
  const guess = offsetAt(at);
  const midnight = new Date(`${day}T00:00:00${guess}`);
  const actual = offsetAt(midnight);
  return actual === guess ? midnight : new Date(`${day}T00:00:00${actual}`);
};
