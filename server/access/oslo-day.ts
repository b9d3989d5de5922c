// Made once: an Intl.DateTimeFormat costs a fraction of a millisecond to construct (it loads the
// ICU time-zone data), and the need policy asks for today's start on every request.
const osloDate = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Oslo' });
const osloOffset = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Oslo', timeZoneName: 'longOffset' });

/** The start of the calendar day in Norway (Europe/Oslo) that `at` falls on, as an instant. */
export const startOfOsloDay = (at: Date): Date => {
  const day = osloDate.format(at);
  // The offset at that moment ("GMT+01:00" or "GMT+02:00"); midnight has the same one except on
  // the two nights the clocks change, which start at 02:00 or 03:00 and so keep midnight's offset.
  const offset = osloOffset.formatToParts(at).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT+01:00';
  const match = /GMT([+-]\d{2}):?(\d{2})?/.exec(offset);
  return new Date(`${day}T00:00:00${match ? `${match[1] ?? '+01'}:${match[2] ?? '00'}` : '+01:00'}`);
};
