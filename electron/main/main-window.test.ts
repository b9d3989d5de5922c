import { describe, expect, it, vi } from 'vitest';

const created = vi.hoisted((): { options: unknown; loaded: unknown } => ({ options: undefined, loaded: undefined }));
vi.mock('electron', () => ({
  BrowserWindow: class {
    constructor(options: unknown) {
      created.options = options;
    }
    once(): void {}
    loadURL(url: string): Promise<void> {
      created.loaded = url;
      return Promise.resolve();
    }
  },
}));
const { createMainWindow } = await import('./main-window');

describe('main window', () => {
  it('opens the app page with the renderer isolated, sandboxed and without Node', () => {
    createMainWindow('/opt/akson/preload.cjs');
    expect(created.loaded).toBe('app://akson/index.html');
    expect(created.options).toMatchObject({
      webPreferences: {
        preload: '/opt/akson/preload.cjs',
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
      },
    });
  });
});
