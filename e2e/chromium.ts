/**
 * Debian's Chromium (apt `chromium`), never a Playwright-downloaded browser: our build machines can
 * not download one. The flags keep it from reaching for Google's services on a closed network.
 */
export const chromiumExecutable = process.env.AKSON_CHROMIUM ?? '/usr/bin/chromium';
export const chromiumArgs = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];
