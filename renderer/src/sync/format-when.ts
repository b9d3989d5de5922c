import { dateTimeFormat } from '../i18n/formatters';

/**
 * When something was saved, as short as it can be read safely: the time alone today, the date
 * and time on any other day (a change waiting since yesterday must not read as this morning).
 */
export const formatWhen = (iso: string, locale: string, now: Date = new Date()): string => {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  const today = date.getFullYear() === now.getFullYear() && date.getMonth() === now.getMonth() && date.getDate() === now.getDate();
  return dateTimeFormat(locale, today ? { timeStyle: 'short' } : { dateStyle: 'short', timeStyle: 'short' }).format(date);
};
