/** Whole minutes left of a grant at `now`, never below 0; undefined for an unreadable time. */
export const minutesLeft = (expiresAt: string, now: Date): number | undefined => {
  const end = Date.parse(expiresAt);
  return Number.isNaN(end) ? undefined : Math.max(0, Math.floor((end - now.getTime()) / 60_000));
};

/** "3 t 12 min" / "3 h 12 min": hours and minutes, as a clinician reads a remaining time. */
export const formatMinutes = (minutes: number, hourUnit: string): string => {
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return hours > 0 ? `${hours} ${hourUnit} ${rest} min` : `${rest} min`;
};
