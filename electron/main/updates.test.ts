import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { memoryLog } from '../core/test-support/memory-log';

vi.mock('electron', () => ({}));
vi.mock('electron-updater', () => ({ autoUpdater: {} }));
const { nextInstallTime, startUpdates } = await import('./updates');

const fakeUpdater = () => {
  const emitter = new EventEmitter();
  return Object.assign(emitter, {
    autoDownload: false,
    autoInstallOnAppQuit: true,
    allowDowngrade: true,
    channel: null as string | null,
    setFeedURL: vi.fn(),
    checkForUpdates: vi.fn(() => Promise.resolve(null)),
    quitAndInstall: vi.fn(),
  });
};

describe('updates', () => {
  it('stays off without an update URL: no feed, no check', () => {
    const updater = fakeUpdater();
    const { log } = memoryLog();
    startUpdates({ updater: updater as never, url: undefined, channel: 'stable', mayHaveUnsignedDrafts: () => Promise.resolve(false), log }).stop();
    expect(updater.setFeedURL).not.toHaveBeenCalled();
    expect(updater.checkForUpdates).not.toHaveBeenCalled();
  });

  it('checks the generic feed of the chosen channel and never lets the library install on its own', () => {
    const updater = fakeUpdater();
    const { log } = memoryLog();
    startUpdates({ updater: updater as never, url: 'https://updates.kommune.no/akson', channel: 'pilot', mayHaveUnsignedDrafts: () => Promise.resolve(false), log }).stop();
    expect(updater.setFeedURL).toHaveBeenCalledWith({ provider: 'generic', url: 'https://updates.kommune.no/akson', channel: 'pilot' });
    expect(updater).toMatchObject({ autoDownload: true, autoInstallOnAppQuit: false, allowDowngrade: false, channel: 'pilot' });
    expect(updater.checkForUpdates).toHaveBeenCalledTimes(1);
  });

  it('installs a downloaded update at quit only when no draft is unsigned', async () => {
    const updater = fakeUpdater();
    const { log } = memoryLog();
    let drafts = true;
    const updates = startUpdates({ updater: updater as never, url: 'https://u.example', channel: 'stable', mayHaveUnsignedDrafts: () => Promise.resolve(drafts), log });
    await expect(updates.mayInstallAtQuit()).resolves.toBe(false);
    updater.emit('update-downloaded', {});
    await expect(updates.mayInstallAtQuit()).resolves.toBe(false);
    expect(updater.quitAndInstall).not.toHaveBeenCalled();
    drafts = false;
    await expect(updates.mayInstallAtQuit()).resolves.toBe(true);
    // Only when main has closed core and the log.
    expect(updater.quitAndInstall).not.toHaveBeenCalled();
    updates.install();
    expect(updater.quitAndInstall).toHaveBeenCalledWith(true, false);
    updates.stop();
  });
});

/** Local times, so the tests hold in any time zone. */
const at = (day: number, hours: number, minutes = 0): Date => new Date(2026, 11, day, hours, minutes);

describe('updates at a chosen time of day', () => {
  afterEach(() => vi.useRealTimers());

  const start = (over: { drafts?: () => boolean; installAt?: string; quit?: () => void; inUse?: () => boolean } = {}) => {
    const updater = fakeUpdater();
    const { log, lines } = memoryLog();
    const quit = vi.fn(over.quit ?? (() => undefined));
    const updates = startUpdates({
      updater: updater as never,
      url: 'https://u.example',
      channel: 'stable',
      mayHaveUnsignedDrafts: () => Promise.resolve(over.drafts?.() ?? false),
      log,
      installAt: over.installAt ?? '03:00',
      quit,
      inUse: over.inUse ?? (() => false),
    });
    return { updater, updates, quit, lines };
  };

  it('finds the next local time of day: today while it is ahead, else tomorrow', () => {
    expect(nextInstallTime('03:00', at(3, 1, 30))).toEqual(at(3, 3));
    expect(nextInstallTime('03:00', at(3, 3))).toEqual(at(4, 3));
    expect(nextInstallTime('23:59', at(31, 23, 59))).toEqual(new Date(2027, 0, 1, 23, 59));
    expect(() => nextInstallTime('3:00', at(3, 1))).toThrow(/HH:MM/);
    expect(() => nextInstallTime('24:00', at(3, 1))).toThrow(/HH:MM/);
  });

  it('quits at the chosen time with no unsigned draft, and that quit installs and starts the app again', async () => {
    vi.useFakeTimers({ now: at(3, 1) });
    const { updater, updates, quit } = start();
    updater.emit('update-downloaded', {});
    await vi.advanceTimersByTimeAsync(2 * 60 * 60_000 - 1);
    expect(quit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(quit).toHaveBeenCalledTimes(1);
    // main's before-quit asks, as at any quit.
    await expect(updates.mayInstallAtQuit()).resolves.toBe(true);
    // Only when main has closed core and the log.
    expect(updater.quitAndInstall).not.toHaveBeenCalled();
    updates.install();
    expect(updater.quitAndInstall).toHaveBeenCalledWith(true, true);
    updates.stop();
  });

  it('never quits over a clinician at work (logged in, screen unlocked): the next day, when the PC is locked, it installs', async () => {
    vi.useFakeTimers({ now: at(3, 1) });
    let working = true;
    const { updater, updates, quit, lines } = start({ inUse: () => working });
    updater.emit('update-downloaded', {});
    await vi.advanceTimersByTimeAsync(2 * 60 * 60_000);
    expect(quit).not.toHaveBeenCalled();
    expect(lines().some((line) => line.includes('"reason":"in-use"'))).toBe(true);
    working = false;
    await vi.advanceTimersByTimeAsync(24 * 60 * 60_000);
    expect(quit).toHaveBeenCalledTimes(1);
    updates.stop();
  });

  it('counts a draft check that fails as a draft: no install at the time nor at quit, and the quit is not held up', async () => {
    vi.useFakeTimers({ now: at(3, 1) });
    const { updater, updates, quit, lines } = start({
      drafts: () => {
        throw new Error('cache unreadable');
      },
    });
    updater.emit('update-downloaded', {});
    await vi.advanceTimersByTimeAsync(2 * 60 * 60_000);
    expect(quit).not.toHaveBeenCalled();
    await expect(updates.mayInstallAtQuit()).resolves.toBe(false);
    expect(updater.quitAndInstall).not.toHaveBeenCalled();
    expect(lines().some((line) => line.includes('counted as one'))).toBe(true);
    updates.stop();
  });

  it('does nothing at the time before an update is downloaded', async () => {
    vi.useFakeTimers({ now: at(3, 1) });
    const { updates, quit } = start();
    await vi.advanceTimersByTimeAsync(48 * 60 * 60_000);
    expect(quit).not.toHaveBeenCalled();
    updates.stop();
  });

  it('waits for the next day while a draft is unsigned, and installs then when none is', async () => {
    vi.useFakeTimers({ now: at(3, 1) });
    let drafts = true;
    const { updater, updates, quit, lines } = start({ drafts: () => drafts });
    updater.emit('update-downloaded', {});
    await vi.advanceTimersByTimeAsync(2 * 60 * 60_000);
    expect(quit).not.toHaveBeenCalled();
    expect(lines().some((line) => line.includes('"reason":"unsigned-draft"'))).toBe(true);
    // Signed during the day: not installed in the middle of it, but at the next 03:00.
    drafts = false;
    await vi.advanceTimersByTimeAsync(24 * 60 * 60_000 - 1);
    expect(quit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(quit).toHaveBeenCalledTimes(1);
    expect(new Date()).toEqual(at(4, 3));
    updates.stop();
  });

  it('downloaded after the time today, installs at the time tomorrow', async () => {
    vi.useFakeTimers({ now: at(3, 9) });
    const { updater, updates, quit } = start();
    updater.emit('update-downloaded', {});
    await vi.advanceTimersByTimeAsync(18 * 60 * 60_000 - 1);
    expect(quit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(quit).toHaveBeenCalledTimes(1);
    updates.stop();
  });

  it('does not install in the morning when the PC slept through the time: it waits for the next day', async () => {
    vi.useFakeTimers({ now: at(3, 1) });
    const { updater, updates, quit, lines } = start();
    updater.emit('update-downloaded', {});
    // Asleep from 01:00 to 06:00: the wall clock jumps, the timer's two hours are still ahead of it.
    vi.setSystemTime(at(3, 6));
    await vi.advanceTimersByTimeAsync(2 * 60 * 60_000);
    expect(quit).not.toHaveBeenCalled();
    expect(lines().some((line) => line.includes('"reason":"missed"'))).toBe(true);
    await vi.advanceTimersByTimeAsync(19 * 60 * 60_000);
    expect(new Date()).toEqual(at(4, 3));
    expect(quit).toHaveBeenCalledTimes(1);
    updates.stop();
  });

  it('still installs at the time after a nap in the evening (timers stand still while a PC sleeps)', async () => {
    vi.useFakeTimers({ now: at(3, 20) });
    const { updater, updates, quit } = start({ installAt: '03:00' });
    updater.emit('update-downloaded', {});
    await vi.advanceTimersByTimeAsync(30 * 60_000);
    // Asleep from 20:30 to 22:30: the wall clock jumps two hours, no timer ran meanwhile.
    vi.setSystemTime(at(3, 22, 30));
    await vi.advanceTimersByTimeAsync(4.5 * 60 * 60_000 - 1);
    expect(quit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(quit).toHaveBeenCalledTimes(1);
    expect(new Date().getTime() - at(4, 3).getTime()).toBeLessThan(2 * 60_000);
    updates.stop();
  });

  it('a quit without the chosen time still installs as before, without starting the app again', async () => {
    vi.useFakeTimers({ now: at(3, 1) });
    const { updater, updates, quit } = start();
    updater.emit('update-downloaded', {});
    await expect(updates.mayInstallAtQuit()).resolves.toBe(true);
    // Only when main has closed core and the log.
    expect(updater.quitAndInstall).not.toHaveBeenCalled();
    updates.install();
    expect(updater.quitAndInstall).toHaveBeenCalledWith(true, false);
    expect(quit).not.toHaveBeenCalled();
    updates.stop();
  });

  it('stops its timer with the rest, and ignores a time that is not HH:MM', async () => {
    vi.useFakeTimers({ now: at(3, 1) });
    const stopped = start();
    stopped.updater.emit('update-downloaded', {});
    stopped.updates.stop();
    await vi.advanceTimersByTimeAsync(48 * 60 * 60_000);
    expect(stopped.quit).not.toHaveBeenCalled();

    const bad = start({ installAt: '3 am' });
    bad.updater.emit('update-downloaded', {});
    await vi.advanceTimersByTimeAsync(48 * 60 * 60_000);
    expect(bad.quit).not.toHaveBeenCalled();
    expect(bad.lines().some((line) => line.includes('"reason":"not-hh-mm"'))).toBe(true);
    bad.updates.stop();
  });
});
