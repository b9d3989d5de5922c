// @ts-check
/**
 * `npm test`: everything CI checks, in order: system packages, lint (ESLint with the layer rule,
 * Electronegativity), type-check, unit lanes (vitest), build, e2e (Playwright in Chromium against
 * the dev host). Each step runs even if an earlier one failed (except e2e, which needs the build),
 * so one run shows every problem; the exit code is non-zero if any failed.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './lint/layer-boundaries.mjs';
import { ensureSystemPackages, testPackages } from './system-packages.mjs';

process.env.ELECTRON_SKIP_BINARY_DOWNLOAD = '1';
ensureSystemPackages(testPackages);

// The layer-rule test writes probe files into the tree and removes them; an interrupted run
// may have left some behind, which would fail lint and type-check for the wrong reason.
for (const folder of ['renderer/src', 'electron/core', 'electron/host']) {
  for (const file of readdirSync(join(repoRoot, folder)).filter((name) => name.startsWith('__layer_probe'))) {
    rmSync(join(repoRoot, folder, file), { force: true });
  }
}

/** @param {...string} parts */
const bin = (...parts) => join(repoRoot, 'node_modules', ...parts);

/** @type {{ name: string; args: string[]; needs?: string }[]} */
const steps = [
  { name: 'lint', args: [bin('eslint', 'bin', 'eslint.js'), '.', '--max-warnings', '0'] },
  { name: 'electronegativity', args: [join(repoRoot, 'scripts', 'electronegativity.mjs')] },
  { name: 'typecheck', args: [join(repoRoot, 'scripts', 'typecheck.mjs')] },
  { name: 'unit', args: [bin('vitest', 'vitest.mjs'), 'run'] },
  { name: 'build', args: [join(repoRoot, 'scripts', 'build.mjs')] },
  { name: 'e2e', args: [bin('@playwright', 'test', 'cli.js'), 'test', '-c', 'e2e/playwright.config.ts'], needs: 'build' },
];

/** @type {{ name: string; ok: boolean | null; seconds: number }[]} */
const results = [];
for (const step of steps) {
  const dependency = results.find((result) => result.name === step.needs);
  if (dependency && !dependency.ok) {
    results.push({ name: step.name, ok: null, seconds: 0 });
    continue;
  }
  console.log(`\n=== ${step.name} ===`);
  const started = performance.now();
  const run = spawnSync(process.execPath, step.args, { cwd: repoRoot, stdio: 'inherit' });
  results.push({ name: step.name, ok: run.status === 0, seconds: (performance.now() - started) / 1000 });
}

console.log('\n=== summary ===');
for (const result of results) {
  const state = result.ok === null ? 'skipped' : result.ok ? 'ok' : 'FAILED';
  console.log(`${result.name.padEnd(18)} ${state.padEnd(8)} ${result.seconds.toFixed(1)} s`);
}
process.exit(results.every((result) => result.ok) ? 0 : 1);
