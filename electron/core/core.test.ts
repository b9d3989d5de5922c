import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCore, type Core } from './core';
import { memoryLog } from './test-support/memory-log';

const build = { name: 'Akson', version: '0.1.0', buildTime: '2026-11-28T08:00:00.000Z' };
let core: Core | undefined;

afterEach(async () => {
  await core?.dispose();
  vi.useRealTimers();
});

describe('core', () => {
  it('answers app.info with the build it was given and the mode of its host', async () => {
    core = createCore({ build, mode: 'electron', log: memoryLog().log });
    await expect(core.dispatch('app.info', {})).resolves.toEqual({ ok: true, value: { ...build, mode: 'electron' } });
  });

  it('feeds app.clock once per interval with a rising sequence and the injected clock', () => {
    vi.useFakeTimers();
    let now = Date.parse('2026-11-28T08:00:00.000Z');
    core = createCore({ build, mode: 'dev-host', log: memoryLog().log, now: () => new Date((now += 1000)) });
    const seen: unknown[] = [];
    core.events.subscribe((event, payload) => seen.push({ event, payload }));
    vi.advanceTimersByTime(3000);
    expect(seen).toEqual([
      { event: 'app.clock', payload: { now: '2026-11-28T08:00:01.000Z', seq: 0 } },
      { event: 'app.clock', payload: { now: '2026-11-28T08:00:02.000Z', seq: 1 } },
      { event: 'app.clock', payload: { now: '2026-11-28T08:00:03.000Z', seq: 2 } },
    ]);
  });

  it('stops the clock when disposed', async () => {
    vi.useFakeTimers();
    core = createCore({ build, mode: 'dev-host', log: memoryLog().log });
    const listener = vi.fn();
    core.events.subscribe(listener);
    // The clock stops at once, before dispose's asynchronous part (closing the cache) is awaited.
    const disposed = core.dispose();
    vi.advanceTimersByTime(5000);
    expect(listener).not.toHaveBeenCalled();
    await disposed;
    vi.advanceTimersByTime(5000);
    expect(listener).not.toHaveBeenCalled();
  });
});
