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
   * True when a clinician's unsigned draft may exist on this PC, or when that can not be known
   * (core's `workspace.mayHaveUnsignedDrafts`): an update never installs over a consultation in progress.
   */
  mayHaveUnsignedDrafts: () => Promise<boolean>;
  log: Logger;
  /** How often to look for an update (default 4 hours). */
  checkEveryMs?: number;
  /**
   * From the settings (`updateInstallTime`): a local time of day, "HH:MM", at which a downloaded
   * update installs when no draft is unsigned (else it waits for the same time the next day, or a
   * quit). Without it, updates install at quit only.
   */
  installAt?: string | undefined;
  /** Quits the app (main: `app.quit`); the quit goes through `mayInstallAtQuit` like any other. Needed with `installAt`. */
  quit?: () => void;
  /**
   * True while a clinician is logged in with the screen unlocked (main: core's session is
   * `active`). The chosen time never quits over someone at work: the night shift's chart stays;
   * a PC left alone has been idle-locked by then. Needed with `installAt`.
   */
  inUse?: () => boolean;
  /** How long after the chosen time an install may still start; a PC that slept past it waits for the next day (default 30 minutes). */
  lateByMs?: number;
}

export interface Updates {
  /**
   * At quit: may the downloaded update install now (no draft unsigned)? Main closes core and the
   * log first, then calls `install`, so the installer never runs over an open cache.
   */
  mayInstallAtQuit(): Promise<boolean>;
  /** Runs the installer silently and quits; after an install at the chosen time the app starts again. */
  install(): void;
  stop(): void;
}

const CHANNEL_FILES = { stable: 'latest', pilot: 'pilot' } as const;

/** How often the chosen install time is looked for. */
const INSTALL_TICK_MS = 60_000;

/**
 * The next time the local clock shows `hhmm` ("HH:MM", 24 h) after `now`: today if it is still
 * ahead, else tomorrow. On a spring-forward night a time that does not exist becomes the hour after.
 */
export const nextInstallTime = (hhmm: string, now: Date): Date => {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!match) {
    throw new Error(`an install time is HH:MM (24 h), got "${hhmm}"`);
  }
  const at = new Date(now.getFullYear(), now.getMonth(), now.getDate(), Number(match[1]), Number(match[2]));
  if (at.getTime() <= now.getTime()) {
    return new Date(now.getFullYear(), now.getMonth(), now.getDate() + 1, Number(match[1]), Number(match[2]));
  }
  return at;
};

/**
 * Signed updates from a generic HTTPS server (electron-builder's latest.yml / pilot.yml beside
 * the installers). Downloads in the background; installs when the app quits, or at the time of day
 * IT chose, and only when no draft is unsigned. On Windows electron-updater checks the installer's Authenticode signature against the
 * publisher name in app-update.yml (electron-builder.yml: win.signtoolOptions.publisherName)
 * before it runs it.
 */
export const startUpdates = ({ updater, url, channel, mayHaveUnsignedDrafts, log, checkEveryMs = 4 * 60 * 60 * 1000, installAt, quit, inUse, lateByMs = 30 * 60 * 1000 }: UpdateOptions): Updates => {
  if (!url) {
    log.info({ provider: 'none' }, 'updates off (no update URL in the settings)');
    return { mayInstallAtQuit: () => Promise.resolve(false), install: () => undefined, stop: () => undefined };
  }
  updater.autoDownload = true;
  // Core decides at quit (drafts), never the library on its own.
  updater.autoInstallOnAppQuit = false;
  updater.setFeedURL({ provider: 'generic', url, channel: CHANNEL_FILES[channel] });
  updater.channel = CHANNEL_FILES[channel];
  // Going from pilot back to stable must not install an older build.
  updater.allowDowngrade = false;
  let downloaded = false;
  // A check that fails (the cache unreadable) counts as "a draft may exist": never install then,
  // and never leave a quit waiting on a rejected promise.
  const draftsMayExist = async (): Promise<boolean> => {
    try {
      return await mayHaveUnsignedDrafts();
    } catch (error) {
      log.warn({ errorType: error instanceof Error ? error.name : typeof error }, 'could not tell whether a draft is unsigned; counted as one');
      return true;
    }
  };
  // The quit came from the chosen time: the app starts again after the install.
  let quitForInstall = false;
  let installTimer: ReturnType<typeof setInterval> | undefined;
  const validTime = installAt !== undefined && /^([01]\d|2[0-3]):[0-5]\d$/.test(installAt);
  const atTime = validTime && quit && inUse ? installAt : undefined;
  if (installAt !== undefined && atTime === undefined) {
    log.warn({ reason: validTime ? 'no-quit' : 'not-hh-mm' }, 'update install time ignored; updates install at quit');
  }
  /** Arms the timer for the next chosen time; when it comes, checks the drafts and quits, or waits a day. */
  const scheduleInstall = (): void => {
    if (atTime === undefined || installTimer !== undefined || !quit || !inUse) {
      return;
    }
    let planned = nextInstallTime(atTime, new Date());
    const nextDay = (reason: string, message: string): void => {
      log.info({ installAt: atTime, reason }, message);
      planned = nextInstallTime(atTime, new Date());
    };
    let checking = false;
    // A look every minute rather than one timer for the whole wait: timers stand still while a PC
    // sleeps, so one long timer would fire late after any nap in the evening and miss the time.
    const tick = async (): Promise<void> => {
      const now = Date.now();
      if (checking || now < planned.getTime()) {
        return;
      }
      if (now - planned.getTime() > lateByMs) {
        // Waking at 08:00 is not the 03:00 IT chose: the clinic is opening.
        nextDay('missed', 'update install time passed while the PC slept; waits for the next day or a quit');
        return;
      }
      if (inUse()) {
        nextDay('in-use', 'update not installed at the chosen time: a clinician is working; tried again the next day or at quit');
        return;
      }
      checking = true;
      try {
        if (await draftsMayExist()) {
          nextDay('unsigned-draft', 'update not installed at the chosen time: an unsigned draft is kept; tried again the next day or at quit');
          return;
        }
      } finally {
        checking = false;
      }
      log.info({ installAt: atTime }, 'installing the downloaded update at the chosen time');
      stopInstallTimer();
      quitForInstall = true;
      quit();
    };
    installTimer = setInterval(() => void tick(), INSTALL_TICK_MS);
    (installTimer as { unref?: () => void }).unref?.();
  };
  const stopInstallTimer = (): void => {
    if (installTimer !== undefined) {
      clearInterval(installTimer);
      installTimer = undefined;
    }
  };
  updater.on('update-downloaded', () => {
    downloaded = true;
    log.info({ channel, installAt: atTime ?? 'quit' }, atTime ? 'update downloaded; installs at the chosen time (or when the app quits) with no unsigned draft' : 'update downloaded; installs when the app quits with no unsigned draft');
    scheduleInstall();
  });
  updater.on('error', (error: Error) => log.warn({ errorType: error.name }, 'update check failed'));
  const check = (): void => {
    updater.checkForUpdates().catch((error: unknown) => log.warn({ errorType: error instanceof Error ? error.name : typeof error }, 'update check failed'));
  };
  check();
  const timer = setInterval(check, checkEveryMs);
  timer.unref();
  return {
    async mayInstallAtQuit() {
      if (!downloaded) {
        return false;
      }
      if (await draftsMayExist()) {
        log.info({ reason: 'unsigned-draft' }, 'update not installed at quit: an unsigned draft is kept');
        quitForInstall = false;
        return false;
      }
      return true;
    },
    install() {
      updater.quitAndInstall(true, quitForInstall);
    },
    stop: () => {
      clearInterval(timer);
      stopInstallTimer();
    },
  };
};
