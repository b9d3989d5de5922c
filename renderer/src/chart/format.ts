import { dateTimeFormat, numberFormat } from '../i18n/formatters';

/** Dates as Norwegian clinicians read them: 02.12.2026, and 02.12.2026 14:05 when the time is known. */
export const formatDate = (value: string | undefined, locale: string): string => {
  if (!value) {
    return '–';
  }
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T12:00:00` : value);
  if (Number.isNaN(date.getTime())) {
    return value;
  }
  const withTime = /T\d{2}:\d{2}/.test(value);
  return dateTimeFormat(locale, withTime ? { dateStyle: 'short', timeStyle: 'short' } : { day: '2-digit', month: '2-digit', year: 'numeric' }).format(date);
};

/** A lab value with the decimals it was reported with, in the locale's notation (5,8). */
export const formatValue = (value: number | undefined, locale: string): string =>
  value === undefined ? '–' : numberFormat(locale, { maximumFractionDigits: 2 }).format(value);
