// @ts-check
/** `npm run typecheck`: every tsconfig of the repository, each in strict mode; fails on the first error. */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { repoRoot } from './lint/layer-boundaries.mjs';

export const projects = [
  'tsconfig.json',
  'shared/tsconfig.json',
  'shared/tsconfig.runtime.json',
  'renderer/tsconfig.json',
  'electron/tsconfig.json',
  'server/tsconfig.json',
  'e2e/tsconfig.json',
  'scripts/tsconfig.json',
];

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
let failed = false;
for (const project of projects) {
  const result = spawnSync(process.execPath, [tsc, '-p', project, '--pretty'], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`typecheck failed: ${project}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
