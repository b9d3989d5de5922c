import { describe, expect, it } from 'vitest';
import { startOfOsloDay } from './oslo-day';

describe('startOfOsloDay', () => {
  it('is local midnight in winter (+01:00) and summer (+02:00), with the formatters reused across calls', () => {
    expect(startOfOsloDay(new Date('2026-11-28T12:00:00Z')).toISOString()).toBe('2026-11-27T23:00:00.000Z');
    expect(startOfOsloDay(new Date('2026-07-01T21:59:00Z')).toISOString()).toBe('2026-06-30T22:00:00.000Z');
    expect(startOfOsloDay(new Date('2026-07-01T22:00:00Z')).toISOString()).toBe('2026-07-01T22:00:00.000Z');
  });
});
