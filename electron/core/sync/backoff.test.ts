import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BASE_DELAY_MS, MAX_DELAY_MS, MAX_RETRY_AFTER_MS, backoffCeiling, backoffDelay, parseRetryAfter } from './backoff';

// Any number a caller could pass as an attempt, including the slips (NaN, negative, huge, fractional).
const attempt = fc.oneof(fc.nat(64), fc.integer(), fc.double(), fc.constantFrom(Number.MAX_SAFE_INTEGER, Infinity, -Infinity, NaN, 1023, 1024, 1075));
const unit = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });

describe('backoffDelay', () => {
  it('is always a whole number of ms within [0, cap], whatever the attempt or random source', () => {
    fc.assert(
      fc.property(attempt, fc.oneof(unit, fc.double()), (n, draw) => {
        const delay = backoffDelay(n, { random: () => draw });
        expect(Number.isInteger(delay)).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(0);
        expect(delay).toBeLessThanOrEqual(MAX_DELAY_MS);
        expect(delay).toBeLessThanOrEqual(backoffCeiling(n));
      }),
    );
  });

  it('uses full jitter: random 0 gives 0, random near 1 gives nearly the ceiling', () => {
    expect(backoffDelay(3, { random: () => 0 })).toBe(0);
    expect(backoffDelay(3, { random: () => 0.999999 })).toBe(Math.floor(0.999999 * BASE_DELAY_MS * 8));
    expect(backoffDelay(3, { random: () => 0.5 })).toBe(2000);
    expect(backoffDelay(1000, { random: () => 0.5 })).toBe(MAX_DELAY_MS / 2);
  });

  it('equals the clamped Retry-After when the server gave one, ignoring the backoff', () => {
    fc.assert(
      fc.property(attempt, fc.oneof(fc.integer(), fc.double({ noNaN: true })), (n, retryAfterMs) => {
        const delay = backoffDelay(n, { retryAfterMs, random: () => 0.5 });
        expect(delay).toBe(Math.min(Math.max(retryAfterMs, 0), MAX_RETRY_AFTER_MS));
      }),
    );
    expect(backoffDelay(0, { retryAfterMs: 30_000, random: () => 0 })).toBe(30_000);
  });
});

describe('backoffCeiling', () => {
  it('doubles from the base and stops at the cap', () => {
    expect([0, 1, 2, 3, 6, 7, 8, 100].map((n) => backoffCeiling(n))).toEqual([500, 1000, 2000, 4000, 32_000, MAX_DELAY_MS, MAX_DELAY_MS, MAX_DELAY_MS]);
  });

  it('never decreases as the attempt grows, and is never NaN or Infinity', () => {
    fc.assert(
      fc.property(attempt, attempt, fc.nat(10_000), fc.nat(1_000_000), (a, b, baseMs, capMs) => {
        const [lo, hi] = [Math.min(a, b), Math.max(a, b)];
        const options = { baseMs, capMs };
        expect(Number.isFinite(backoffCeiling(a, options))).toBe(true);
        if (!Number.isNaN(a) && !Number.isNaN(b)) {
          expect(backoffCeiling(lo, options)).toBeLessThanOrEqual(backoffCeiling(hi, options));
        }
        expect(backoffCeiling(a, options)).toBeLessThanOrEqual(capMs);
      }),
    );
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-28T08:00:00Z');

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('1', now)).toBe(1000);
    expect(parseRetryAfter(' 120 ', now)).toBe(120_000);
    expect(parseRetryAfter('0', now)).toBe(0);
  });

  it('reads the three HTTP-date forms relative to now', () => {
    expect(parseRetryAfter('Sat, 28 Nov 2026 08:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Saturday, 28-Nov-26 08:01:00 GMT', now)).toBe(60_000);
    expect(parseRetryAfter('Sat Nov 28 08:00:05 2026', now)).toBeDefined();
  });

  it('clamps: a past date is 0, a far future or huge number is the maximum', () => {
    expect(parseRetryAfter('Fri, 27 Nov 2026 08:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('Sun, 28 Nov 2027 08:00:00 GMT', now)).toBe(MAX_RETRY_AFTER_MS);
    expect(parseRetryAfter('9'.repeat(400), now)).toBe(MAX_RETRY_AFTER_MS);
  });

  it('gives undefined for absent or unreadable values (negative, fractional, words)', () => {
    for (const value of [undefined, null, '', '-5', '1.5', 'soon', '1e3', 'Sat, 99 Foo 2026 GMT']) {
      expect(parseRetryAfter(value, now)).toBeUndefined();
    }
  });

  it('is never negative, NaN or above the maximum for any string', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.nat().map(String), fc.date({ noInvalidDate: true }).map((d) => d.toUTCString())), (value) => {
        const ms = parseRetryAfter(value, now);
        if (ms !== undefined) {
          expect(ms).toBeGreaterThanOrEqual(0);
          expect(ms).toBeLessThanOrEqual(MAX_RETRY_AFTER_MS);
        }
      }),
    );
  });
});
