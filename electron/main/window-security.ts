import type { App, Session } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../../shared/security/content-security-policy';
import { isAppUrl } from './app-origin';

/**
 * Security related measures (Electron security checklist; DO NOT loosen without a review):
 * no navigation away from the app, no new windows, no <webview>, every permission request denied,
 * and the CSP header on every response the session sees.
 */
export const guardWebContents = (app: App): void => {
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (navigation, url) => {
      if (!isAppUrl(url)) {
        navigation.preventDefault();
      }
    });
    contents.on('will-redirect', (navigation, url) => {
      if (!isAppUrl(url)) {
        navigation.preventDefault();
      }
    });
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-attach-webview', (attach) => {
      attach.preventDefault();
    });
  });
};

export const guardSession = (session: Session): void => {
  session.setPermissionRequestHandler((_contents, _permission, callback) => {
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    // Electronegativity reads only literal policies; the same csp-evaluator it uses checks this
    // constant in shared/security/content-security-policy.test.ts, so its parse note is waived.
    callback({
      responseHeaders: { // eng-disable CSP_GLOBAL_CHECK
        ...details.responseHeaders,
        'Content-Security-Policy': [CONTENT_SECURITY_POLICY],
      },
    });
  });
};
