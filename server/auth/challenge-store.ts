import { randomBytes } from 'node:crypto';
import { FhirError } from '../fhir/operation-outcome';

/** One-time login challenges: random, short-lived, spent by their first use. */
export class ChallengeStore {
  private readonly open = new Map<string, number>();

  constructor(
    private readonly now: () => Date,
    private readonly ttlMs = 60_000,
    private readonly maxOpen = 10_000,
  ) {}

  issue(): { challenge: string; expiresAt: Date } {
    this.sweep();
    if (this.open.size >= this.maxOpen) {
      // Refuse rather than grow without bound when someone asks for challenges in a loop.
      throw new FhirError(503, 'too-costly', 'Too many logins are being started right now; try again in a minute.');
    }
    const challenge = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.now().getTime() + this.ttlMs);
    this.open.set(challenge, expiresAt.getTime());
    return { challenge, expiresAt };
  }

  /** Whether the challenge is open (not spent, not expired), without spending it. */
  isOpen(challenge: string): boolean {
    const expiresAt = this.open.get(challenge);
    return expiresAt !== undefined && expiresAt > this.now().getTime();
  }

  /** True once per issued, unexpired challenge; false for unknown, expired or replayed ones. */
  spend(challenge: string): boolean {
    const expiresAt = this.open.get(challenge);
    this.open.delete(challenge);
    return expiresAt !== undefined && expiresAt > this.now().getTime();
  }

  private sweep(): void {
    const now = this.now().getTime();
    for (const [challenge, expiresAt] of this.open) {
      if (expiresAt <= now) {
        this.open.delete(challenge);
      }
    }
  }
}
