import { join } from 'node:path';
import { BrowserWindow, app, powerMonitor, safeStorage, screen, session } from 'electron';
import { autoUpdater } from 'electron-updater';
import { SettingsService, createAppLogger, createCore, createLogger, machineSettingsPath, sessionConfigFrom, startEmbeddedDemoJournal, trustAnchorsFromEnv, wantsEmbeddedDemo } from '../core';
import { createSafeStorageKeyStore } from '../core/cache';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { demoJournalWorkerFile } from './demo-journal-file';
import { bindContractToIpc } from './ipc-bridge';
import { createMainWindow, preloadPathNextTo } from './main-window';
import { applyContentProtection, lockOnOsEvents } from './screen-privacy';
import { electronSettingsFile } from './settings-store';
import { closeWhenShown, showStartingWindow } from './starting-window';
import { startUpdates } from './updates';
import { boundsFor, keepWindowBounds } from './window-bounds';
import { guardSession, guardWebContents } from './window-security';

/**
 * Electron main: wiring only. Everything it calls lives in core (tested in plain Node) or in the
 * small guards beside this file (tested with a mocked `electron`).
 * Bundled to dist/electron/main.cjs; the renderer is at dist/renderer.
 */
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.enableSandbox();
  registerAppScheme();
  guardWebContents(app);
  let frontWindow: BrowserWindow | undefined;
  // From the start: while the demo journal starts, a second double-click brings its starting
  // window to the front rather than seeming to do nothing.
  app.on('second-instance', () => {
    if (frontWindow?.isMinimized()) {
      frontWindow.restore();
    }
    frontWindow?.focus();
  });

  void app.whenReady().then(async () => {
    const userData = app.getPath('userData');
    const settings = new SettingsService({
      userFile: electronSettingsFile(),
      machinePath: machineSettingsPath(process.env),
      log: createLogger({ name: 'main', level: 'info', version: __AKSON_BUILD__.version }),
    });
    const values = settings.values();
    // Redacted lines into <userData>/logs (rotating); what support exports with "Export logs".
    const { log, close: closeLog } = await createAppLogger({
      name: 'main',
      version: __AKSON_BUILD__.version,
      level: process.env.AKSON_LOG_LEVEL ?? values.logLevel,
      logDir: join(userData, 'logs'),
    });
    guardSession(session.defaultSession);
    serveRenderer(join(__dirname, '..', 'renderer'));
    // Each clinician's cache key is wrapped by the OS key store (DPAPI on Windows) and their card.
    // Without a usable key store (a Linux desktop with no keyring) the workstation runs online only.
    let keyStore: ReturnType<typeof createSafeStorageKeyStore> | undefined;
    try {
      keyStore = createSafeStorageKeyStore(safeStorage);
    } catch (error) {
      log.error({ errorType: error instanceof Error ? error.name : typeof error }, 'no OS key store: offline cache disabled');
    }
    // No journal named anywhere (a fresh install without IT's presets): the embedded demo journal,
    // synthetic patients and the TEST card, with its data in <userData>/demo-journal. It gives core
    // the same variables `npm start` does; if it does not start, the failure screen says so.
    const wantsDemo = wantsEmbeddedDemo(process.env, values, settings.machineFile());
    const starting = wantsDemo ? showStartingWindow(values.language) : undefined;
    frontWindow = starting;
    const demo = wantsDemo
      ? await startEmbeddedDemoJournal({ workerFile: demoJournalWorkerFile(__dirname), workerSha256: __AKSON_DEMO_WORKER_SHA256__, dataDir: join(userData, 'demo-journal'), log }).catch(() => undefined)
      : undefined;
    const env = { ...process.env, ...demo?.env };
    const core = createCore({
      build: __AKSON_BUILD__,
      mode: 'electron',
      log,
      session: sessionConfigFrom(env, values),
      // Whose signatures the chart shows as verified: AKSON_TRUST_ANCHORS / AKSON_TRUST_CRLS (PEM files).
      trustAnchors: trustAnchorsFromEnv(env),
      demoJournalFailed: wantsDemo && !demo,
      ...(keyStore ? { offline: { dataDir: userData, keyStore } } : {}),
      settings,
      logs: { dir: join(userData, 'logs'), exportDir: app.getPath('downloads') },
    });
    const unbind = bindContractToIpc({
      core,
      log,
      eventTargets: () => BrowserWindow.getAllWindows().map((window) => window.webContents),
    });
    const window = createMainWindow(preloadPathNextTo(__dirname), boundsFor(values.windowBounds, screen.getPrimaryDisplay()));
    frontWindow = window;
    closeWhenShown(starting, window);
    keepWindowBounds(window, screen, (key, bounds) => {
      try {
        settings.setInternal('windowBounds', { ...settings.values().windowBounds, [key]: bounds });
      } catch (error) {
        log.warn({ errorType: error instanceof Error ? error.name : typeof error }, 'window bounds not kept');
      }
    });
    applyContentProtection(window, values.contentProtection);
    const unbindPower = lockOnOsEvents(powerMonitor, (trigger) => core.idle.lockNow(trigger));
    const updates = startUpdates({
      updater: autoUpdater,
      url: values.updateUrl,
      channel: values.updateChannel,
      // IT's time of day for installs; the quit it asks for goes through before-quit below.
      installAt: values.updateInstallTime,
      quit: () => app.quit(),
      // Never at the chosen time over a clinician at work; an unattended PC is idle-locked by then.
      inUse: () => core.session.status().state === 'active',
      // The open cache, or what it held when the screen locked; anything else counts as "maybe".
      mayHaveUnsignedDrafts: () => Promise.resolve(core.workspace.mayHaveUnsignedDrafts()),
      log,
    });

    let quitting = false;
    app.on('before-quit', (event) => {
      if (quitting) {
        return;
      }
      // Ask once whether the downloaded update may install now; close core (the cache) and the
      // log; then install, or quit for real. A failure on the way never leaves the app half-quit.
      event.preventDefault();
      quitting = true;
      void updates
        .mayInstallAtQuit()
        .catch(() => false)
        .then(async (installing) => {
          updates.stop();
          unbindPower();
          unbind();
          await core.dispose().catch(() => undefined);
          await demo?.stop();
          await closeLog().catch(() => undefined);
          return installing;
        })
        .then((installing) => (installing ? updates.install() : app.quit()), () => app.quit());
    });
  });

  app.on('window-all-closed', () => app.quit());
}
