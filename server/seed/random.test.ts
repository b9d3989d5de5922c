import { describe, expect, it } from 'vitest';
import { Random } from './random';

const draws = (random: Random, count: number) => Array.from({ length: count }, () => random.uint32());

describe('Random (sfc32)', () => {
  it('repeats its sequence for the same seed and stream', () => {
    expect(draws(new Random(42, 7), 100)).toEqual(draws(new Random(42, 7), 100));
  });

  it('gives different sequences for different seeds and for different streams of one seed', () => {
    const first = draws(new Random(42, 7), 20);
    expect(draws(new Random(43, 7), 20)).not.toEqual(first);
    expect(draws(new Random(42, 8), 20)).not.toEqual(first);
    // seed and stream are not interchangeable
    expect(draws(new Random(7, 42), 20)).not.toEqual(first);
  });

  it('draws uniform numbers in [0, 1) with a mean near one half', () => {
    const random = new Random(1);
    const values = Array.from({ length: 20_000 }, () => random.next());
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(values.reduce((sum, value) => sum + value, 0) / values.length).toBeCloseTo(0.5, 1);
  });

  it('draws integers in [min, max] with both ends reachable', () => {
    const random = new Random(2);
    const seen = new Set(Array.from({ length: 2000 }, () => random.int(3, 7)));
    expect([...seen].sort()).toEqual([3, 4, 5, 6, 7]);
  });

  it('draws bounded normal values with about the mean and spread asked for', () => {
    const random = new Random(3);
    const values = Array.from({ length: 20_000 }, () => random.normal(50, 5));
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    const sd = Math.sqrt(values.reduce((sum, value) => sum + (value - mean) ** 2, 0) / values.length);
    expect(mean).toBeCloseTo(50, 0);
    expect(sd).toBeGreaterThan(4.7);
    expect(sd).toBeLessThan(5.3);
    expect(Math.max(...values.map((value) => Math.abs(value - 50)))).toBeLessThanOrEqual(5 * 2 * Math.sqrt(3));
  });

  it('draws Poisson counts with about the mean asked for', () => {
    const random = new Random(4);
    const counts = Array.from({ length: 10_000 }, () => random.poisson(3.5));
    expect(counts.reduce((sum, count) => sum + count, 0) / counts.length).toBeCloseTo(3.5, 0);
  });

  it('picks by weight and refuses an empty list', () => {
    const random = new Random(5);
    const picks = Array.from({ length: 10_000 }, () => random.weighted([['a', 1], ['b', 3]] as const));
    expect(picks.filter((pick) => pick === 'b').length / picks.length).toBeCloseTo(0.75, 1);
    expect(() => random.pick([])).toThrow(RangeError);
    expect(() => random.weighted([])).toThrow(RangeError);
  });
});
