import { FhirError } from '../fhir/operation-outcome';

/**
 * A token bucket per client address, in a bounded map. Written here rather than taken from
 * @fastify/rate-limit: that plugin is not among the project's dependencies (which are pinned and
 * installed once for every worktree), it would rate-limit in front of the route where the login
 * can not audit the refusal, and what login needs is about sixty lines: a burst, a steady rate,
 * a Retry-After, and memory that stays bounded whatever the number of addresses.
 */
export interface RateLimitOptions {
  /** Requests an address may make at once (the bucket's size). */
  burst: number;
  /** Requests per second an address may make in the long run (the refill rate). */
  perSecond: number;
  /** Addresses remembered at most; past it the least recently seen is forgotten. */
  maxClients: number;
}

export type Take = { allowed: true } | { allowed: false; retryAfterSeconds: number; firstRefusal: boolean };

interface Bucket {
  tokens: number;
  at: number;
  /** Refused since the last allowed request: only the first refusal of a run is worth an audit row. */
  refusing: boolean;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly options: RateLimitOptions,
    private readonly now: () => number = Date.now,
  ) {}

  take(client: string): Take {
    const now = this.now();
    const key = clientKey(client);
    const found = this.buckets.get(key);
    // A clock stepped back refills nothing rather than draining the bucket.
    const elapsed = found ? Math.max(0, now - found.at) / 1000 : 0;
    const bucket: Bucket = found
      ? { tokens: Math.min(this.options.burst, found.tokens + elapsed * this.options.perSecond), at: now, refusing: found.refusing }
      : { tokens: this.options.burst, at: now, refusing: false };
    // Re-inserted on every use, so the map's first entry is always the least recently seen.
    this.buckets.delete(key);
    this.buckets.set(key, bucket);
    if (this.buckets.size > this.options.maxClients) {
      // Security: memory is bounded whatever the number of addresses. The evicted bucket is the
      // idlest one, most likely full again; a client that comes back after eviction starts with a
      // full burst, which costs little now that challenges are free to hold.
      const oldest = this.buckets.keys().next();
      if (!oldest.done) {
        this.buckets.delete(oldest.value);
      }
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      bucket.refusing = false;
      return { allowed: true };
    }
    const firstRefusal = !bucket.refusing;
    bucket.refusing = true;
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / this.options.perSecond)), firstRefusal };
  }

  /** How many addresses are remembered (for tests of the bound). */
  get size(): number {
    return this.buckets.size;
  }
}

/** A 429 with the seconds the HTTP layer puts in Retry-After. */
export class ThrottledError extends FhirError {
  constructor(readonly retryAfterSeconds: number) {
    super(429, 'throttled', `Too many login requests from this address; try again in ${retryAfterSeconds} s.`);
  }
}

/**
 * The bucket a client address belongs to. An IPv4-mapped IPv6 address is its IPv4 address, and
 * an IPv6 address counts by its /64: one subscriber is routinely given a whole /64, so one bucket
 * per address would hand a single machine billions of buckets.
 */
export const clientKey = (ip: string): string => {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped?.[1]) {
    return mapped[1];
  }
  const bare = ip.split('%')[0] ?? ip;
  if (!bare.includes(':') || !/^[\d.:a-f]+$/i.test(bare)) {
    return ip;
  }
  const halves = bare.split('::');
  if (halves.length > 2) {
    return ip;
  }
  // An embedded IPv4 tail (64:ff9b::1.2.3.4) takes two groups.
  const groupsOf = (part: string | undefined): string[] => (part ? part.split(':').flatMap((group) => (group.includes('.') ? ['0', '0'] : [group])) : []);
  const head = groupsOf(halves[0]);
  const tail = groupsOf(halves[1]);
  const groups = halves.length === 2 ? [...head, ...Array<string>(Math.max(0, 8 - head.length - tail.length)).fill('0'), ...tail] : head;
  if (groups.length !== 8) {
    return ip;
  }
  return `${groups
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
};
