import type { EventHub } from '../contract/event-hub';
import type { Logger } from '../logging/logger';

export interface ClockFeedOptions {
  hub: EventHub;
  log: Logger;
  now: () => Date;
  intervalMs?: number;
}

/** Emits `app.clock` on a fixed interval. Returns the function that stops it. */
export const startClockFeed = ({ hub, log, now, intervalMs = 1000 }: ClockFeedOptions): (() => void) => {
  let seq = 0;
  const tick = (): void => {
    try {
      hub.emit('app.clock', { now: now().toISOString(), seq });
    } catch (error) {
      // A bad clock value must not take the process down from inside a timer.
      log.error({ errorType: error instanceof Error ? error.name : typeof error }, 'clock tick not sent');
    }
    seq += 1;
  };
  const timer = setInterval(tick, intervalMs);
  // The feed alone must not keep a process (or a test runner) alive.
  timer.unref();
  return () => clearInterval(timer);
};
