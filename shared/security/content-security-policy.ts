/**
 * Security related: the one Content-Security-Policy of the renderer, stated once. Electron main
 * sends it (app:// protocol and session headers), the dev host sends it, and the renderer build
 * writes it into index.html as a meta tag.
 * - Scripts only from the app's own origin: its bundle; nothing inline, no eval, no remote host.
 *   (csp-evaluator notes that 'self' is weak where an origin hosts JSONP, Angular or uploads; the
 *   app origin serves only our built bundle, so that does not apply. Reviewed, see the test.)
 * - Styles allow inline because Mantine injects its CSS variables as a <style> element.
 * - connect-src 'self' covers the dev host's same-origin WebSocket; the journal API's origin is
 *   added here when the sync issue brings it.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join('; ');

