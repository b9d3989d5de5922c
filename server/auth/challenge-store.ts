import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Why a challenge can not be used: never issued here (or altered), past its expiry, or used once already. */
export type ChallengeRefusal = 'unknown' | 'expired' | 'spent';

export interface ChallengeStoreOptions {
  ttlMs?: number;
  /** Spent challenges remembered at most; past it logins are refused until some expire. */
  maxSpent?: number;
}

const FORMAT = /^(\d{1,15})\.([\w-]{22})\.([\w-]{43})$/;

/**
 * Security-critical. One-time login challenges that cost nothing to hold:
 * `<expiry, ms since 1970>.<16 random bytes>.<HMAC-SHA256 of both>`, base64url, MAC-ed with a
 * key made at start (like the token signing key, so a restart voids open challenges). Issuing
 * keeps no state, so no number of challenge requests can crowd out a clinician's; the MAC and
 * the expiry are checked without any lookup. Only SPENT challenges are remembered, until they
 * expire, so a replay is still refused. Spending takes a card-signed assertion with a valid
 * certificate, so that set grows only with genuine logins; it is capped anyway and, when full,
 * refuses logins (fails closed) rather than forgetting what was spent.
 */
export class ChallengeStore {
  private readonly key = randomBytes(32);
  /** Nonce of a spent challenge -> its expiry (ms); in spending order. */
  private readonly spent = new Map<string, number>();
  private readonly ttlMs: number;
  private readonly maxSpent: number;

  constructor(
    private readonly now: () => Date,
    { ttlMs = 60_000, maxSpent = 100_000 }: ChallengeStoreOptions = {},
  ) {
    this.ttlMs = ttlMs;
    this.maxSpent = maxSpent;
  }

  issue(): { challenge: string; expiresAt: Date } {
    const expiresAt = this.now().getTime() + this.ttlMs;
    const nonce = randomBytes(16).toString('base64url');
    return { challenge: this.format(expiresAt, nonce), expiresAt: new Date(expiresAt) };
  }

  /** Undefined when the challenge is ours, unexpired and unspent; the refusal otherwise. Spends nothing. */
  check(challenge: string): ChallengeRefusal | undefined {
    const verified = this.verify(challenge);
    return typeof verified === 'string' ? verified : this.spent.has(verified.nonce) ? 'spent' : undefined;
  }

  /**
   * Spends the challenge: undefined the first time for a genuine, unexpired one; the refusal
   * otherwise, or 'full' when the spent set is at its cap even after forgetting expired ones.
   */
  spend(challenge: string): ChallengeRefusal | 'full' | undefined {
    const verified = this.verify(challenge);
    if (typeof verified === 'string') {
      return verified;
    }
    if (this.spent.has(verified.nonce)) {
      return 'spent';
    }
    this.forgetExpired(false);
    if (this.spent.size >= this.maxSpent) {
      this.forgetExpired(true);
      if (this.spent.size >= this.maxSpent) {
        return 'full';
      }
    }
    this.spent.set(verified.nonce, verified.expiresAt);
    return undefined;
  }

  /** Challenges remembered: spent ones only; issuing adds none. */
  get remembered(): number {
    return this.spent.size;
  }

  /**
   * Expired entries can go: the MAC-ed expiry refuses them anyway. Challenges are spent roughly
   * in expiry order, so the cheap pass stops at the first live one; the full pass runs at the cap.
   */
  private forgetExpired(all: boolean): void {
    const now = this.now().getTime();
    for (const [nonce, expiresAt] of this.spent) {
      if (expiresAt <= now) {
        this.spent.delete(nonce);
      } else if (!all) {
        return;
      }
    }
  }

  /** The nonce and MAC-ed expiry of a challenge this server issued, if it has not passed. */
  private verify(challenge: string): { nonce: string; expiresAt: number } | 'unknown' | 'expired' {
    const match = FORMAT.exec(challenge);
    if (!match?.[1] || !match[2]) {
      return 'unknown';
    }
    const expiresAt = Number(match[1]);
    const nonce = match[2];
    // The whole string as this server would have written it, compared in constant time: a MAC
    // can not be learned byte by byte from response times, and a second spelling of the same
    // challenge (a leading zero, base64url's unused low bits) is not a second challenge.
    const expected = Buffer.from(this.format(expiresAt, nonce));
    const claimed = Buffer.from(challenge);
    if (claimed.length !== expected.length || !timingSafeEqual(claimed, expected)) {
      return 'unknown';
    }
    return expiresAt <= this.now().getTime() ? 'expired' : { nonce, expiresAt };
  }

  private format(expiresAt: number, nonce: string): string {
    return `${expiresAt}.${nonce}.${this.mac(expiresAt, nonce).toString('base64url')}`;
  }

  private mac(expiresAt: number, nonce: string): Buffer {
    return createHmac('sha256', this.key).update(`akson-login-challenge.${expiresAt}.${nonce}`).digest();
  }
}
