import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY } from './shared/security/content-security-policy.ts';

/** Writes the one CSP (shared/security) into index.html too, for any host that forgets the header. */
const cspMetaTag = (): Plugin => ({
  name: 'akson-csp-meta',
  transformIndexHtml: () => [
    // frame-ancestors is ignored in a meta tag (header only), so it is left out here.
    {
      tag: 'meta',
      attrs: {
        'http-equiv': 'Content-Security-Policy',
        content: CONTENT_SECURITY_POLICY.split('; ')
          .filter((directive) => !directive.startsWith('frame-ancestors'))
          .join('; '),
      },
      injectTo: 'head-prepend',
    },
  ],
});

/** Builds the renderer (renderer/) to dist/renderer; served by Electron main (app://akson/) and by the dev host. */
export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: '/',
  plugins: [react(), cspMetaTag()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // Chromium 156 is the only engine the renderer runs in (Electron 45 and the e2e browser).
    target: 'chrome140',
    sourcemap: true,
    reportCompressedSize: false,
  },
});
