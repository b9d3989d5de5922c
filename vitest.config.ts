import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

/** The unit lanes: one project per process folder, so a failure names where it happened. */
const node = (name: string, include: string[]) => ({
  test: { name, environment: 'node' as const, include },
});

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'shared',
          environment: 'node',
          include: ['shared/**/*.test.ts'],
          // Real card-made signatures (SoftHSM2), one per way a signature can be wrong.
          globalSetup: ['scripts/test-pki/signature-global-setup.ts'],
        },
      },
      {
        test: {
          name: 'core',
          environment: 'node',
          include: ['electron/core/**/*.test.ts'],
          // Real SoftHSM2 tokens with keys generated on them, made once for the lane.
          globalSetup: ['scripts/test-pki/global-setup.ts'],
        },
      },
      node('host', ['electron/host/**/*.test.ts']),
      {
        test: {
          name: 'main',
          environment: 'node',
          include: ['electron/main/**/*.test.ts', 'electron/preload/**/*.test.ts'],
          // These import 'electron' themselves; inlined, they see the tests' vi.mock('electron').
          server: { deps: { inline: ['electron-store', 'electron-updater'] } },
        },
      },
      {
        test: {
          name: 'server',
          environment: 'node',
          include: ['server/**/*.test.ts'],
          // One private PostgreSQL for the lane; each test file makes its own database on it.
          globalSetup: ['server/test-support/global-setup.ts', 'scripts/test-pki/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'scripts',
          environment: 'node',
          include: ['scripts/**/*.test.{ts,mjs}', 'build/**/*.test.mjs'],
          // Integration tests start real journals (PGlite), workstations and cards; on a loaded
          // 2-core machine a login round can pass 5 s without anything being wrong.
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['renderer/**/*.test.{ts,tsx}'],
          setupFiles: ['renderer/src/test/setup.ts'],
          // The whole workstation (lazy chunks, Mantine) renders in jsdom in ~5 s on a busy 2-core CI machine.
          testTimeout: 20_000,
        },
      },
    ],
  },
});
