import { BrowserWindow } from 'electron';

/**
 * What the clinician sees while main starts the embedded demo journal before the real window
 * (the first start fills it: up to a minute on a slow PC), so a silent minute does not look like
 * a hung Akson that needs another double-click or the task manager. A static page of our own
 * text: no preload, no script, nothing loaded from anywhere.
 */
const TEXT = {
  nb: {
    lang: 'nb',
    title: 'Starter demojournalen …',
    body: 'Første oppstart fyller den med syntetiske pasienter. Det tar under ett minutt; Akson åpner seg selv når den er klar.',
  },
  en: {
    lang: 'en',
    title: 'Starting the demo journal …',
    body: 'The first start fills it with synthetic patients. It takes less than a minute; Akson opens by itself when it is ready.',
  },
} as const;

/**
 * The page as a data: URL (its CSP forbids everything but its inline style). No Mantine here: the
 * strip's colours are the DemoBanner's Mantine yellow-4 / yellow-6, written out.
 */
export const startingPageUrl = (language: 'nb' | 'en'): string => {
  const text = TEXT[language];
  const html = `<!doctype html><html lang="${text.lang}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Akson</title><style>
body{margin:0;font:14px/1.45 "Segoe UI",system-ui,sans-serif;color:#1a1b1e;background:#fff}
.demo{background:#ffd43b;border-bottom:1px solid #fab005;padding:6px 16px;font-weight:800;letter-spacing:.08em;font-size:13px}
main{padding:16px 20px}h1{font-size:16px;margin:0 0 6px}p{margin:0;color:#373a40}
</style></head><body><div class="demo">DEMO</div><main role="status"><h1>${text.title}</h1><p>${text.body}</p></main></body></html>`;
  return `data:text/html;charset=utf-8,${encodeURIComponent(html)}`;
};

/** A small window (it can not be closed: that would quit Akson mid-fill); main closes it when the real one shows. */
export const showStartingWindow = (language: 'nb' | 'en'): BrowserWindow => {
  const window = new BrowserWindow({
    width: 460,
    height: 150,
    useContentSize: true,
    resizable: false,
    maximizable: false,
    fullscreenable: false,
    closable: false,
    title: 'Akson',
    webPreferences: {
      // Security related: nothing to run here, so no script at all. DO NOT CHANGE without a security review.
      javascript: false,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      disableBlinkFeatures: 'Auxclick',
      spellcheck: false,
    },
  });
  void window.loadURL(startingPageUrl(language));
  return window;
};

/**
 * Closes the starting window once the main one shows, or after `backstopMs` whatever happens (a
 * renderer that never gets ready must not leave a window that can not be closed on top).
 */
export const closeWhenShown = (
  starting: Pick<BrowserWindow, 'destroy' | 'isDestroyed'> | undefined,
  main: Pick<BrowserWindow, 'once'>,
  backstopMs = 15_000,
): void => {
  if (!starting) {
    return;
  }
  const close = (): void => {
    clearTimeout(backstop);
    if (!starting.isDestroyed()) {
      starting.destroy();
    }
  };
  const backstop = setTimeout(close, backstopMs);
  main.once('ready-to-show', close);
};
