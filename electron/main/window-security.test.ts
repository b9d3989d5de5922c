import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../shared/security/content-security-policy';

vi.mock('electron', () => ({}));
const { guardSession, guardWebContents } = await import('./window-security');

/** Just enough of Electron's WebContents to fire its events. */
class FakeContents extends EventEmitter {
  windowOpenHandler: (() => { action: string }) | undefined;
  setWindowOpenHandler(handler: () => { action: string }): void {
    this.windowOpenHandler = handler;
  }
}

const guardedContents = (): FakeContents => {
  const app = new EventEmitter();
  guardWebContents(app as never);
  const contents = new FakeContents();
  app.emit('web-contents-created', {}, contents);
  return contents;
};

const navigation = () => ({ preventDefault: vi.fn() });

describe('window security guards', () => {
  it('blocks navigation and redirects away from the app, allows them within it', () => {
    const contents = guardedContents();
    for (const eventName of ['will-navigate', 'will-redirect']) {
      const away = navigation();
      contents.emit(eventName, away, 'https://evil.example/');
      expect(away.preventDefault, eventName).toHaveBeenCalled();
      const within = navigation();
      contents.emit(eventName, within, 'app://akson/index.html');
      expect(within.preventDefault, eventName).not.toHaveBeenCalled();
    }
  });

  it('denies every new window and every <webview>', () => {
    const contents = guardedContents();
    expect(contents.windowOpenHandler?.()).toEqual({ action: 'deny' });
    const attach = navigation();
    contents.emit('will-attach-webview', attach);
    expect(attach.preventDefault).toHaveBeenCalled();
  });

  it('denies every permission request and adds the CSP to every response', () => {
    let requestHandler: ((contents: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
    let checkHandler: (() => boolean) | undefined;
    let headersHandler:
      | ((details: { responseHeaders: Record<string, string[]> }, callback: (r: unknown) => void) => void)
      | undefined;
    const session = {
      setPermissionRequestHandler: (handler: typeof requestHandler) => (requestHandler = handler),
      setPermissionCheckHandler: (handler: typeof checkHandler) => (checkHandler = handler),
      webRequest: { onHeadersReceived: (handler: typeof headersHandler) => (headersHandler = handler) },
    };
    guardSession(session as never);

    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read']) {
      const callback = vi.fn();
      requestHandler?.({}, permission, callback);
      expect(callback, permission).toHaveBeenCalledWith(false);
    }
    expect(checkHandler?.()).toBe(false);
    const callback = vi.fn();
    headersHandler?.({ responseHeaders: { 'content-type': ['text/html'] } }, callback);
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: { 'content-type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
});
