import { describe, expect, it } from 'vitest';
import { formatMinutes, minutesLeft } from './grant-time';

describe('grant time', () => {
  const now = new Date('2026-12-02T10:00:00Z');
  it('counts whole minutes left, never below zero, and says so in hours and minutes', () => {
    expect(minutesLeft('2026-12-02T13:12:59Z', now)).toBe(192);
    expect(minutesLeft('2026-12-02T09:00:00Z', now)).toBe(0);
    expect(minutesLeft('not a time', now)).toBeUndefined();
    expect(formatMinutes(192, 't')).toBe('3 t 12 min');
    expect(formatMinutes(7, 't')).toBe('7 min');
  });
});
