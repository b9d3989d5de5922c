import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatClinicalDate, parseClinicalDate } from './clinical-date';

describe('parseClinicalDate', () => {
  it('reads the day first, with or without dots, and a pasted ISO date', () => {
    expect(parseClinicalDate('28.11.2026')).toBe('2026-11-28');
    expect(parseClinicalDate(' 3.4.2026 ')).toBe('2026-04-03');
    expect(parseClinicalDate('03042026')).toBe('2026-04-03');
    expect(parseClinicalDate('2026-11-28')).toBe('2026-11-28');
    expect(parseClinicalDate('29.02.2028')).toBe('2028-02-29');
  });

  it('refuses what is not a date rather than guessing', () => {
    for (const text of ['', '31.02.2026', '29.02.2027', '00.01.2026', '1.13.2026', '11/28/2026', '28.11.26', '28.11.1899', 'i går', '2026-13-01', '2026-02-30']) {
      expect(parseClinicalDate(text), text).toBeNull();
    }
  });

  it('gives back every calendar date it is shown', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-12-31T00:00:00Z'), noInvalidDate: true }), (date) => {
        const iso = date.toISOString().slice(0, 10);
        expect(parseClinicalDate(formatClinicalDate(iso))).toBe(iso);
      }),
    );
  });
});
