import { join } from 'node:path';
import { BrowserWindow, app, safeStorage, session } from 'electron';
import { createCore, createLogger, sessionConfigFromEnv, trustAnchorsFromEnv } from '../core';
import { createSafeStorageKeyStore } from '../core/cache';
import { registerAppScheme, serveRenderer } from './app-protocol';
import { bindContractToIpc } from './ipc-bridge';
import { createMainWindow, preloadPathNextTo } from './main-window';
import { guardSession, guardWebContents } from './window-security';

/**
 * Electron main: wiring only. Everything it calls lives in core (tested in plain Node) or in the
 * small guards beside this file (tested with a mocked `electron`).
 * Bundled to dist/electron/main.cjs; the renderer is at dist/renderer.
 */
const log = createLogger({ name: 'main', level: process.env.AKSON_LOG_LEVEL ?? 'info' });

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.enableSandbox();
  registerAppScheme();
  guardWebContents(app);

  void app.whenReady().then(() => {
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
    const core = createCore({
      build: __AKSON_BUILD__,
      mode: 'electron',
      log,
      session: sessionConfigFromEnv(process.env),
      // Whose signatures the chart shows as verified: AKSON_TRUST_ANCHORS / AKSON_TRUST_CRLS (PEM files).
      trustAnchors: trustAnchorsFromEnv(process.env),
      ...(keyStore ? { offline: { dataDir: app.getPath('userData'), keyStore } } : {}),
    });
    const unbind = bindContractToIpc({
      core,
      log,
      eventTargets: () => BrowserWindow.getAllWindows().map((window) => window.webContents),
    });
    const window = createMainWindow(preloadPathNextTo(__dirname));

    app.on('second-instance', () => {
      if (window.isMinimized()) {
        window.restore();
      }
      window.focus();
    });
    app.on('before-quit', () => {
      unbind();
      void core.dispose();
    });
  });

  app.on('window-all-closed', () => app.quit());
}
