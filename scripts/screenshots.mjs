// @ts-check
/**
 * `npm run screenshots`: builds, then runs the e2e journeys that photograph the workstation
 * (worklist, search, chart, note, lab trend; the note editor, PIN dialog, record dialogs, conflict
 * dialog, refused chart; at 1366x768 and 1920x1080) into docs/screenshots/,
 * the pictures the README shows. `npm test` runs the same journeys into test-results/ instead.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { buildAll } from './build.mjs';
import { repoRoot } from './lint/layer-boundaries.mjs';

process.env.ELECTRON_SKIP_BINARY_DOWNLOAD = '1';
await buildAll();
const run = spawnSync(
  process.execPath,
  [
    join(repoRoot, 'node_modules', '@playwright', 'test', 'cli.js'),
    'test',
    '-c',
    'e2e/playwright.config.ts',
    'journal-ui.spec.ts',
    'journal-notes.spec.ts',
    'record-edit.spec.ts',
    'record-conflict.spec.ts',
    'access.spec.ts',
    '-g',
    'reads the whole chart|keyboard and signs|penicillin|same allergy|another office',
  ],
  { cwd: repoRoot, stdio: 'inherit', env: { ...process.env, AKSON_SCREENSHOTS_DIR: join(repoRoot, 'docs', 'screenshots') } },
);
process.exit(run.status ?? 1);
