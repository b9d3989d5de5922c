import { defineConfig } from '@playwright/test';

/**
 * Electron smoke test: runs only where the Electron binary exists (the Windows workflow in
 * .github/workflows/desktop.yml). Not part of `npm test` on our build machines.
 */
export default defineConfig({
  testDir: '.',
  timeout: 60_000,
  workers: 1,
  forbidOnly: true,
  reporter: [['list']],
  outputDir: '../../test-results/electron',
});
