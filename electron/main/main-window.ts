import { join } from 'node:path';
import { BrowserWindow } from 'electron';
import { APP_ENTRY_URL } from './app-origin';

/** The one main window; dense by default, readable at 1366x768 (UX.md). */
export const createMainWindow = (preloadPath: string, bounds?: { x: number; y: number; width: number; height: number; maximized?: boolean }): BrowserWindow => {
  const window = new BrowserWindow({
    width: bounds?.width ?? 1366,
    height: bounds?.height ?? 768,
    ...(bounds ? { x: bounds.x, y: bounds.y } : {}),
    minWidth: 1024,
    minHeight: 640,
    show: false,
    title: 'Akson',
    webPreferences: {
      // Reviewed (Electronegativity asks for it): the preload exposes only window.akson, two
      // functions over two fixed channels; main checks the sender frame and every input.
      preload: preloadPath, // eng-disable PRELOAD_JS_CHECK
      // Security related: the renderer is untrusted. DO NOT CHANGE without a security review.
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      safeDialogs: true,
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => {
    if (bounds?.maximized) {
      window.maximize();
    }
    window.show();
  });
  void window.loadURL(APP_ENTRY_URL);
  return window;
};

export const preloadPathNextTo = (mainDir: string): string => join(mainDir, 'preload.cjs');
