import { describe, expect, it, vi } from 'vitest';
import { memoryLog } from '../test-support/memory-log';
import { createEventHub } from './event-hub';

const tick = { now: '2026-11-28T08:00:00.000Z', seq: 3 };

describe('event hub', () => {
  it('delivers a valid event to every subscriber until it unsubscribes', () => {
    const hub = createEventHub(memoryLog().log);
    const first = vi.fn();
    const second = vi.fn();
    const stopFirst = hub.subscribe(first);
    hub.subscribe(second);
    hub.emit('app.clock', tick);
    stopFirst();
    hub.emit('app.clock', { ...tick, seq: 4 });
    expect(first).toHaveBeenCalledTimes(1);
    expect(first).toHaveBeenCalledWith('app.clock', tick);
    expect(second).toHaveBeenCalledTimes(2);
  });

  it('refuses to emit a payload that breaks the event schema', () => {
    const hub = createEventHub(memoryLog().log);
    const listener = vi.fn();
    hub.subscribe(listener);
    expect(() => hub.emit('app.clock', { now: 'yesterday', seq: -1 })).toThrow(/does not match/);
    expect(listener).not.toHaveBeenCalled();
  });

  it('keeps delivering to other subscribers when one throws', () => {
    const { log, lines } = memoryLog();
    const hub = createEventHub(log);
    const healthy = vi.fn();
    hub.subscribe(() => {
      throw new Error('broken transport');
    });
    hub.subscribe(healthy);
    hub.emit('app.clock', tick);
    expect(healthy).toHaveBeenCalledOnce();
    expect(lines().join('\n')).toContain('event listener failed');
  });
});
