import { describe, expect, it } from 'vitest';
import { startOfOsloDay } from './oslo-day';

describe('startOfOsloDay', () => {
  it('is local midnight in winter (+01:00) and summer (+02:00), with the formatters reused across calls', () => {
    expect(startOfOsloDay(new Date('2026-11-28T12:00:00Z')).toISOString()).toBe('2026-11-27T23:00:00.000Z');
    expect(startOfOsloDay(new Date('2026-07-01T21:59:00Z')).toISOString()).toBe('2026-06-30T22:00:00.000Z');
    expect(startOfOsloDay(new Date('2026-07-01T22:00:00Z')).toISOString()).toBe('2026-07-01T22:00:00.000Z');
  });
});

describe('startOfOsloDay on the nights the clocks change', () => {
  it('is midnight at +01:00 on the day summer time starts (29 March 2026), though noon is at +02:00', () => {
    expect(startOfOsloDay(new Date('2026-03-29T10:00:00Z')).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    // Before the change, the same day.
    expect(startOfOsloDay(new Date('2026-03-29T00:30:00Z')).toISOString()).toBe('2026-03-28T23:00:00.000Z');
  });

  it('is midnight at +02:00 on the day summer time ends (25 October 2026), though noon is at +01:00', () => {
    expect(startOfOsloDay(new Date('2026-10-25T11:00:00Z')).toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(startOfOsloDay(new Date('2026-10-25T23:30:00Z')).toISOString()).toBe('2026-10-25T23:00:00.000Z');
  });
});
