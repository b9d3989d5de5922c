import type { EventHub } from '../contract/event-hub';

export interface ClockFeedOptions {
  hub: EventHub;
  now: () => Date;
  intervalMs?: number;
}

/** Emits `app.clock` on a fixed interval. Returns the function that stops it. */
export const startClockFeed = ({ hub, now, intervalMs = 1000 }: ClockFeedOptions): (() => void) => {
  let seq = 0;
  const tick = (): void => {
    hub.emit('app.clock', { now: now().toISOString(), seq });
    seq += 1;
  };
  const timer = setInterval(tick, intervalMs);
  // The feed alone must not keep a process (or a test runner) alive.
  timer.unref();
  return () => clearInterval(timer);
};
