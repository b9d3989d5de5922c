import { describe, expect, it } from 'vitest';
import { DAY, dayOf, HOUR, isWeekend } from './calendar';
import { Random } from './random';
import { emergencyVisitStart, nearestWeekday, officeVisitStart } from './schedule';

const day = (iso: string) => dayOf(Date.parse(`${iso}T00:00:00Z`));
const saturday = day('2026-11-28');

describe('schedule', () => {
  it('knows the weekend', () => {
    expect(isWeekend(saturday)).toBe(true);
    expect(isWeekend(saturday + 1)).toBe(true);
    expect(isWeekend(saturday + 2)).toBe(false);
    expect(isWeekend(day('1970-01-01'))).toBe(false);
  });

  it('moves a weekend day to the nearest weekday inside the window', () => {
    expect(nearestWeekday(saturday, saturday - 10, saturday + 10)).toBe(saturday - 1);
    expect(nearestWeekday(saturday + 1, saturday - 10, saturday + 10)).toBe(saturday - 1);
    // Friday is before the window: Monday instead.
    expect(nearestWeekday(saturday, saturday, saturday + 10)).toBe(saturday + 2);
    // Neither fits: the day stays as it is rather than leave the window.
    expect(nearestWeekday(saturday, saturday, saturday + 1)).toBe(saturday);
    expect(nearestWeekday(saturday + 2, saturday, saturday + 10)).toBe(saturday + 2);
  });

  it('keeps office visits in office hours and every visit on its own day, on a five-minute grid', () => {
    const random = new Random(3);
    for (let i = 0; i < 500; i += 1) {
      const office = officeVisitStart(random, saturday - 3) - (saturday - 3) * DAY;
      expect(office).toBeGreaterThanOrEqual(7 * HOUR);
      expect(office).toBeLessThanOrEqual(14.5 * HOUR);
      const evening = emergencyVisitStart(random, saturday - 3) - (saturday - 3) * DAY;
      expect(evening).toBeGreaterThanOrEqual(16 * HOUR);
      const weekend = emergencyVisitStart(random, saturday) - saturday * DAY;
      expect(weekend).toBeLessThanOrEqual(21.5 * HOUR);
      expect(office % (5 * 60_000)).toBe(0);
    }
  });
});
