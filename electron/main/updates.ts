import type { AppUpdater } from 'electron-updater';
import type { Logger } from '../core';

/** The part of electron-updater's AppUpdater this wiring uses (tests pass a fake). */
export type Updater = Pick<AppUpdater, 'autoDownload' | 'autoInstallOnAppQuit' | 'allowDowngrade' | 'setFeedURL' | 'checkForUpdates' | 'quitAndInstall' | 'on'> & {
  channel: string | null;
};

export interface UpdateOptions {
  updater: Updater;
  /** From the settings: no URL, no updates (IT can lock it empty to switch updates off). */
  url: string | undefined;
  channel: 'stable' | 'pilot';
  /**
   * True when a clinician's unsigned draft exists, or when that can not be known (the cache is
   * closed): an update never installs over a consultation in progress.
   */
  mayHaveUnsignedDrafts: () => Promise<boolean>;
  log: Logger;
  /** How often to look for an update (default 4 hours). */
  checkEveryMs?: number;
}

export interface Updates {
  /** At quit: install the downloaded update now (true), or leave it for a later quit (false). */
  installOnQuit(): Promise<boolean>;
  stop(): void;
}

const CHANNEL_FILES = { stable: 'latest', pilot: 'pilot' } as const;

/**
 * Signed updates from a generic HTTPS server (electron-builder's latest.yml / pilot.yml beside
 * the installers). Downloads in the background; installs only when the app quits and no draft is
 * unsigned. On Windows electron-updater checks the installer's Authenticode signature against the
 * publisher name in app-update.yml (electron-builder.yml: win.signtoolOptions.publisherName)
 * before it runs it.
 */
export const startUpdates = ({ updater, url, channel, mayHaveUnsignedDrafts, log, checkEveryMs = 4 * 60 * 60 * 1000 }: UpdateOptions): Updates => {
  if (!url) {
    log.info({ provider: 'none' }, 'updates off (no update URL in the settings)');
    return { installOnQuit: () => Promise.resolve(false), stop: () => undefined };
  }
  updater.autoDownload = true;
  // Core decides at quit (drafts), never the library on its own.
  updater.autoInstallOnAppQuit = false;
  updater.setFeedURL({ provider: 'generic', url, channel: CHANNEL_FILES[channel] });
  updater.channel = CHANNEL_FILES[channel];
  // Going from pilot back to stable must not install an older build.
  updater.allowDowngrade = false;
  let downloaded = false;
  updater.on('update-downloaded', () => {
    downloaded = true;
    log.info({ channel }, 'update downloaded; installs when the app quits with no unsigned draft');
  });
  updater.on('error', (error: Error) => log.warn({ errorType: error.name }, 'update check failed'));
  const check = (): void => {
    updater.checkForUpdates().catch((error: unknown) => log.warn({ errorType: error instanceof Error ? error.name : typeof error }, 'update check failed'));
  };
  check();
  const timer = setInterval(check, checkEveryMs);
  timer.unref();
  return {
    async installOnQuit() {
      if (!downloaded) {
        return false;
      }
      if (await mayHaveUnsignedDrafts()) {
        log.info({ reason: 'unsigned-draft' }, 'update not installed at quit: an unsigned draft is kept');
        return false;
      }
      updater.quitAndInstall(true, false);
      return true;
    },
    stop: () => clearInterval(timer),
  };
};
