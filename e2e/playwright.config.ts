import { defineConfig } from '@playwright/test';
import { chromiumArgs, chromiumExecutable } from './chromium';

/** The e2e lane: the built workstation in the dev host, driven in Chromium. Run after `npm run build`. */
export default defineConfig({
  testDir: './workstation',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 2,
  forbidOnly: true,
  reporter: [['list']],
  outputDir: '../test-results/e2e',
  use: {
    browserName: 'chromium',
    launchOptions: { executablePath: chromiumExecutable, args: chromiumArgs },
    trace: 'retain-on-failure',
  },
});
