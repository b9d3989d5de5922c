import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';


/** Builds the renderer (renderer/) to dist/renderer; served by Electron main (app://akson/) and by the dev host. */
export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // Chromium 156 is the only engine the renderer runs in (Electron 45 and the e2e browser).
    target: 'chrome140',
    sourcemap: true,
    reportCompressedSize: false,
  },
});
