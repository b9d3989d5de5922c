import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { memoryLog } from '../test-support/memory-log';
import { IdleLock } from './idle-lock';

const setup = (minutes = 10) => {
  const { log, lines } = memoryLog();
  const state = { active: true, minutes, locks: 0 };
  const idle = new IdleLock({
    minutes: () => state.minutes,
    isActive: () => state.active,
    lock: () => {
      state.locks += 1;
      state.active = false;
    },
    log,
  });
  return { idle, state, lines };
};

describe('idle lock', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('locks after the set minutes without input', () => {
    const { idle, state } = setup(10);
    idle.sessionChanged(true);
    vi.advanceTimersByTime(10 * 60_000 - 1);
    expect(state.locks).toBe(0);
    vi.advanceTimersByTime(1);
    expect(state.locks).toBe(1);
  });

  it('starts the countdown again on input', () => {
    const { idle, state } = setup(10);
    idle.sessionChanged(true);
    vi.advanceTimersByTime(9 * 60_000);
    idle.activity();
    vi.advanceTimersByTime(9 * 60_000);
    expect(state.locks).toBe(0);
    vi.advanceTimersByTime(60_000);
    expect(state.locks).toBe(1);
  });

  it('takes a changed setting at the next input', () => {
    const { idle, state } = setup(10);
    idle.sessionChanged(true);
    state.minutes = 1;
    idle.activity();
    vi.advanceTimersByTime(60_000);
    expect(state.locks).toBe(1);
  });

  it('counts the setting in shorter minutes when a test says so (dev host, e2e only)', () => {
    const { log } = memoryLog();
    let locks = 0;
    const idle = new IdleLock({ minutes: () => 4, isActive: () => locks === 0, lock: () => (locks += 1), log, minuteMs: 1_000 });
    idle.sessionChanged(true);
    vi.advanceTimersByTime(3_999);
    expect(locks).toBe(0);
    vi.advanceTimersByTime(1);
    expect(locks).toBe(1);
  });

  it('does not run while nobody is logged in, and stops when the session ends', () => {
    const { idle, state } = setup(1);
    state.active = false;
    idle.activity();
    vi.advanceTimersByTime(5 * 60_000);
    state.active = true;
    idle.sessionChanged(true);
    idle.sessionChanged(false);
    vi.advanceTimersByTime(5 * 60_000);
    expect(state.locks).toBe(0);
  });

  it.each(['os-lock-screen', 'os-suspend', 'card-removed', 'user'] as const)('locks at once on %s and logs only the trigger', (trigger) => {
    const { idle, state, lines } = setup(10);
    idle.sessionChanged(true);
    idle.lockNow(trigger);
    expect(state.locks).toBe(1);
    expect(JSON.parse(lines()[0] ?? '{}')).toMatchObject({ trigger, msg: 'screen locked' });
    vi.advanceTimersByTime(60 * 60_000);
    expect(state.locks).toBe(1);
  });
});
