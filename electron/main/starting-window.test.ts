import { describe, expect, it, vi } from 'vitest';

const created = vi.hoisted((): { options: unknown; loaded: string | undefined } => ({ options: undefined, loaded: undefined }));
vi.mock('electron', () => ({
  BrowserWindow: class {
    constructor(options: unknown) {
      created.options = options;
    }
    loadURL(url: string): Promise<void> {
      created.loaded = url;
      return Promise.resolve();
    }
  },
}));
const { closeWhenShown, showStartingWindow, startingPageUrl } = await import('./starting-window');

/** A window that remembers being destroyed, as Electron's does. */
const fakeStarting = () => {
  const window = {
    destroyed: false,
    destroy: vi.fn(() => {
      window.destroyed = true;
    }),
    isDestroyed: () => window.destroyed,
  };
  return window;
};

const page = (url: string | undefined): string => decodeURIComponent((url ?? '').replace(/^data:text\/html;charset=utf-8,/, ''));

describe('the window while the demo journal starts', () => {
  it('says in the clinician\'s language what is happening, with the DEMO strip, as a static page', () => {
    expect(page(startingPageUrl('nb'))).toContain('Starter demojournalen');
    expect(page(startingPageUrl('nb'))).toContain('lang="nb"');
    expect(page(startingPageUrl('en'))).toContain('Starting the demo journal');
    const html = page(startingPageUrl('en'));
    expect(html).toContain('>DEMO<');
    expect(html).toContain("default-src 'none'");
    expect(html).not.toMatch(/<script|https?:/i);
  });

  it('runs no script and can not be closed (that would quit Akson half-way through the fill)', () => {
    showStartingWindow('nb');
    expect(created.loaded).toBe(startingPageUrl('nb'));
    expect(created.options).toMatchObject({ closable: false, webPreferences: { javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false } });
    expect((created.options as { webPreferences: Record<string, unknown> }).webPreferences.preload).toBeUndefined();
  });

  it('closes once the main window shows, or after the backstop if it never does, and only once', () => {
    vi.useFakeTimers();
    try {
      const starting = fakeStarting();
      let shown: (() => void) | undefined;
      closeWhenShown(starting, { once: (_event: string, listener: () => void) => { shown = listener; } } as never, 15_000);
      expect(starting.destroy).not.toHaveBeenCalled();
      shown?.();
      expect(starting.destroy).toHaveBeenCalledTimes(1);
      vi.advanceTimersByTime(20_000);
      expect(starting.destroy).toHaveBeenCalledTimes(1);

      const stuck = fakeStarting();
      closeWhenShown(stuck, { once: () => undefined } as never, 15_000);
      vi.advanceTimersByTime(14_999);
      expect(stuck.destroy).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1);
      expect(stuck.destroy).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
