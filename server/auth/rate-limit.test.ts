import { describe, expect, it } from 'vitest';
import { clientKey, RateLimiter } from './rate-limit';

const limiter = (options: { burst?: number; perSecond?: number; maxClients?: number } = {}) => {
  const clock = { now: 1_000_000 };
  const limit = new RateLimiter({ burst: 3, perSecond: 0.5, maxClients: 100, ...options }, () => clock.now);
  return { clock, limit };
};

describe('rate limiter (a token bucket per address)', () => {
  it('allows a burst, then refuses with the seconds until the next request is allowed', () => {
    const { limit } = limiter();
    expect([1, 2, 3].map(() => limit.take('10.0.0.1').allowed)).toEqual([true, true, true]);
    expect(limit.take('10.0.0.1')).toEqual({ allowed: false, retryAfterSeconds: 2, firstRefusal: true });
    expect(limit.take('10.0.0.1')).toEqual({ allowed: false, retryAfterSeconds: 2, firstRefusal: false });
  });

  it('refills at the steady rate, never past the burst', () => {
    const { clock, limit } = limiter();
    for (let i = 0; i < 3; i += 1) {
      limit.take('10.0.0.1');
    }
    clock.now += 1_000;
    expect(limit.take('10.0.0.1')).toMatchObject({ allowed: false, retryAfterSeconds: 1 });
    clock.now += 1_000;
    expect(limit.take('10.0.0.1').allowed).toBe(true);
    // A new run of refusals is reported as a first refusal again.
    expect(limit.take('10.0.0.1')).toMatchObject({ allowed: false, firstRefusal: true });
    clock.now += 3_600_000;
    expect([1, 2, 3, 4].map(() => limit.take('10.0.0.1').allowed)).toEqual([true, true, true, false]);
  });

  it('keeps one address from using up another address\'s bucket', () => {
    const { limit } = limiter();
    for (let i = 0; i < 100; i += 1) {
      limit.take('10.0.0.1');
    }
    expect(limit.take('10.0.0.2').allowed).toBe(true);
  });

  it('does not drain or refill when the clock steps back', () => {
    const { clock, limit } = limiter();
    for (let i = 0; i < 3; i += 1) {
      limit.take('10.0.0.1');
    }
    clock.now -= 60_000;
    expect(limit.take('10.0.0.1').allowed).toBe(false);
  });

  it('remembers at most maxClients addresses, forgetting the least recently seen', () => {
    const { limit } = limiter({ maxClients: 1_000 });
    for (let i = 0; i < 3; i += 1) {
      limit.take('192.168.1.1');
    }
    for (let i = 0; i < 50_000; i += 1) {
      limit.take(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
      // The one refused address keeps being seen, so it is never the one forgotten.
      if (i % 100 === 0) {
        expect(limit.take('192.168.1.1').allowed, `at ${i}`).toBe(false);
      }
    }
    expect(limit.size).toBe(1_000);
  });

  it('counts IPv4-mapped addresses as IPv4, and IPv6 by its /64', () => {
    expect(clientKey('::ffff:127.0.0.2')).toBe('127.0.0.2');
    expect(clientKey('127.0.0.1')).toBe('127.0.0.1');
    expect(clientKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(clientKey('2001:0db8:0001:0002:ffff:ffff:ffff:ffff')).toBe('2001:db8:1:2::/64');
    expect(clientKey('::1')).toBe('0:0:0:0::/64');
    expect(clientKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(clientKey('not-an-address')).toBe('not-an-address');
    const { limit } = limiter();
    for (let i = 0; i < 3; i += 1) {
      limit.take(`2001:db8:1:2::${i + 1}`);
    }
    expect(limit.take('2001:db8:1:2:ffff::9').allowed).toBe(false);
    expect(limit.take('2001:db8:1:3::1').allowed).toBe(true);
  });
});
