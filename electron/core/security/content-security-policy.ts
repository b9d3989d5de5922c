/**
 * Security related: one Content-Security-Policy for the renderer, sent by Electron
 * main (app:// protocol and session headers) and by the dev host alike. Scripts only from
 * the app itself; styles allow inline because Mantine injects its CSS variables as a <style>
 * element; the contract socket is same-origin ('self' covers ws: on the same host and port).
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

