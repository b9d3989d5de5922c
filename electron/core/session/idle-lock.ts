import type { Logger } from '../logging/logger';

/** Why the screen locked, for the log (never who, never which patient). */
export type LockTrigger = 'idle' | 'os-lock-screen' | 'os-suspend' | 'card-removed' | 'user';

export interface IdleLockOptions {
  /** The idle-lock setting in force (read each time, so a change applies at once). */
  minutes: () => number;
  /** Is a clinician logged in (only then does the timer run)? */
  isActive: () => boolean;
  /** Locks the session (SessionService.lock). */
  lock: () => void;
  log: Logger;
  /**
   * Tests only (the dev host's AKSON_IDLE_MINUTE_SECONDS, for the e2e tests): how long one minute of
   * the setting lasts, in milliseconds (default 60 000). Electron main never sets it.
   */
  minuteMs?: number;
  setTimer?: (run: () => void, ms: number) => ReturnType<typeof setTimeout>;
  clearTimer?: (timer: ReturnType<typeof setTimeout>) => void;
}

/**
 * Core owns the idle timer: the renderer reports input (at most every ~30 s, `session.activity`),
 * and the timer, the OS events (screen locked, suspend: from Electron's powerMonitor, wired in
 * main) and the card's removal (SessionService) all end in the same immediate lock.
 */
export class IdleLock {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private readonly setTimer: NonNullable<IdleLockOptions['setTimer']>;
  private readonly clearTimer: NonNullable<IdleLockOptions['clearTimer']>;

  constructor(private readonly options: IdleLockOptions) {
    this.setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms));
    this.clearTimer = options.clearTimer ?? ((timer) => clearTimeout(timer));
  }

  /** Input happened (or a session just started): the countdown starts again. */
  activity(): void {
    this.stop();
    if (!this.options.isActive()) {
      return;
    }
    const ms = Math.max(1, this.options.minutes()) * (this.options.minuteMs ?? 60_000);
    const timer = this.setTimer(() => this.lockNow('idle'), ms);
    (timer as { unref?: () => void }).unref?.();
    this.timer = timer;
  }

  /** The session changed: a login starts the countdown, anything else stops it. */
  sessionChanged(active: boolean): void {
    if (active) {
      if (this.timer === undefined) {
        this.activity();
      }
    } else {
      this.stop();
    }
  }

  /** Locks at once, whatever the timer says. */
  lockNow(trigger: LockTrigger): void {
    this.stop();
    if (!this.options.isActive()) {
      return;
    }
    this.options.log.info({ trigger }, 'screen locked');
    this.options.lock();
  }

  stop(): void {
    if (this.timer !== undefined) {
      this.clearTimer(this.timer);
      this.timer = undefined;
    }
  }
}
