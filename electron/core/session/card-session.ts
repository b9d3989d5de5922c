import type { SigningCard } from '../card/signing-card';
import { loginWithCard, type AccessToken } from './card-login-client';

export type SessionState = 'logged-out' | 'active' | 'locked';

export interface CardSessionOptions {
  apiBase: string;
  card: SigningCard;
  /** Starts watching for the card leaving its reader; returns the function that stops watching. */
  watchPresence: (onRemoved: () => void) => () => void;
  /** Renew this long before the token expires (a new login, signed while the card is in). */
  renewAheadMs?: number;
  fetchImpl?: typeof fetch;
}

/**
 * Keeps a clinician logged in to the journal for as long as their card stays in: renews the
 * access token before it expires, and locks at once when the card is taken out (the token is
 * dropped, the card session closed; the screen lock follows the state change).
 */
export class CardLoginSession {
  private current: AccessToken | undefined;
  private state: SessionState = 'logged-out';
  private renewTimer: ReturnType<typeof setTimeout> | undefined;
  private stopWatching: (() => void) | undefined;
  private readonly listeners = new Set<(state: SessionState) => void>();
  /** Bumped on every lock, so a renewal that was in flight can not re-open a locked session. */
  private generation = 0;

  constructor(private readonly options: CardSessionOptions) {}

  get status(): SessionState {
    return this.state;
  }

  /** The bearer token, or undefined when there is no active session. */
  token(): string | undefined {
    return this.state === 'active' ? this.current?.accessToken : undefined;
  }

  onChange(listener: (state: SessionState) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  async start(): Promise<void> {
    await this.renew();
    this.stopWatching = this.options.watchPresence(() => this.lock());
  }

  /** The journal refused the token (it restarted with new keys, or dropped it): log in again with the card now. */
  async renewNow(): Promise<void> {
    await this.renew();
  }

  private async renew(): Promise<void> {
    const generation = this.generation;
    const token = await loginWithCard({
      apiBase: this.options.apiBase,
      card: this.options.card,
      ...(this.options.fetchImpl ? { fetchImpl: this.options.fetchImpl } : {}),
    });
    if (generation !== this.generation) {
      return; // locked while this renewal was on its way
    }
    this.current = token;
    this.set('active');
    const wait = Math.max(1_000, this.current.expiresAt.getTime() - Date.now() - (this.options.renewAheadMs ?? 60_000));
    clearTimeout(this.renewTimer);
    this.renewTimer = setTimeout(() => {
      // A failed renewal locks rather than leaving a clinician with a token about to lapse.
      this.renew().catch(() => this.lock());
    }, wait);
    this.renewTimer.unref();
  }

  /** Locks first, then cleans up: a card that was pulled out may fail to close, and that must not keep the session open. */
  lock(): void {
    this.generation += 1;
    this.current = undefined;
    clearTimeout(this.renewTimer);
    this.set('locked');
    this.stopWatching?.();
    try {
      this.options.card.close();
    } catch {
      // The card is gone; nothing to close.
    }
  }

  private set(state: SessionState): void {
    if (this.state !== state) {
      this.state = state;
      for (const listener of this.listeners) {
        listener(state);
      }
    }
  }
}
