import { describe, expect, it } from 'vitest';
import { formatWhen } from './format-when';

describe('formatWhen', () => {
  const now = new Date(2026, 11, 2, 14, 0);

  it('gives the time alone for today, in the locale\'s notation', () => {
    expect(formatWhen(new Date(2026, 11, 2, 9, 5).toISOString(), 'nb-NO', now)).toBe('09:05');
  });

  it('gives the date too for any other day, so yesterday never reads as this morning', () => {
    expect(formatWhen(new Date(2026, 11, 1, 9, 5).toISOString(), 'nb-NO', now)).toBe('01.12.2026, 09:05');
    expect(formatWhen(new Date(2025, 11, 2, 9, 5).toISOString(), 'en-GB', now)).toBe('02/12/2025, 09:05');
  });

  it('returns text that is not a date as it is', () => {
    expect(formatWhen('not a date', 'nb-NO', now)).toBe('not a date');
  });
});
