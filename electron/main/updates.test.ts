import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { memoryLog } from '../core/test-support/memory-log';

vi.mock('electron', () => ({}));
vi.mock('electron-updater', () => ({ autoUpdater: {} }));
const { startUpdates } = await import('./updates');

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
    await expect(updates.installOnQuit()).resolves.toBe(false);
    updater.emit('update-downloaded', {});
    await expect(updates.installOnQuit()).resolves.toBe(false);
    expect(updater.quitAndInstall).not.toHaveBeenCalled();
    drafts = false;
    await expect(updates.installOnQuit()).resolves.toBe(true);
    expect(updater.quitAndInstall).toHaveBeenCalledWith(true, false);
    updates.stop();
  });
});
