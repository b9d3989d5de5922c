import { resolve, sep } from 'node:path';

/**
 * Security related: the renderer is served from a privileged custom scheme (app://akson/), never
 * from file:// (which would let any local file join the app's origin). Main trusts IPC and
 * navigation only from this origin.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'akson';
export const APP_ENTRY_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/** URL origin of a non-special scheme is "null" in WHATWG URL, so compare scheme and host. */
export const isAppUrl = (url: string): boolean => {
  try {
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && parsed.username === '' && parsed.password === '';
  } catch {
    return false;
  }
};

/**
 * Maps an app:// request to a file inside the renderer folder; null for anything else, including
 * encoded `..` segments that would climb out of it.
 */
export const resolveAppFile = (rendererDir: string, requestUrl: string): string | null => {
  if (!isAppUrl(requestUrl)) {
    return null;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(requestUrl).pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) {
    return null;
  }
  const root = resolve(rendererDir);
  const file = resolve(root, `.${pathname === '/' ? '/index.html' : pathname}`);
  return file.startsWith(root + sep) ? file : null;
};
