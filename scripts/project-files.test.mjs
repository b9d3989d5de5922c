// @ts-check
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { repoRoot } from './lint/layer-boundaries.mjs';

const read = (/** @type {string} */ rel) => readFileSync(join(repoRoot, rel), 'utf8');

describe('the two commands', () => {
  it('README Quick start shows exactly the run and the test command', () => {
    const readme = read('README.md');
    const section = /## Quick start\n+```(?:sh|bash)?\n([\s\S]*?)```/.exec(readme)?.[1] ?? '';
    expect(section.trim().split('\n')).toEqual(['npm install && npm start', 'npm install && npm test']);
  });

  it('.ci/run calls the README test command and nothing else of substance', () => {
    const commands = read('.ci/run')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#') && !line.startsWith('set ') && !line.startsWith('cd '));
    expect(commands).toEqual(['npm install && npm test']);
  });
});

describe('.github/workflows/desktop.yml', () => {
  /** @type {{ jobs: Record<string, { 'runs-on': string; steps: { run?: string; uses?: string }[] }> }} */
  const workflow = /** @type {never} */ (load(read('.github/workflows/desktop.yml')));
  const windows = workflow.jobs.windows;

  it('runs on Windows, builds the NSIS installer and runs the Electron smoke test', () => {
    expect(windows?.['runs-on']).toBe('windows-latest');
    const runs = (windows?.steps ?? []).map((step) => step.run ?? '');
    expect(runs).toContain('npx electron-builder --win nsis --publish never');
    expect(runs).toContain('npx playwright test -c e2e/electron/playwright.config.ts');
  });

  it('refers only to files that exist', () => {
    for (const step of windows?.steps ?? []) {
      for (const path of (step.run ?? '').match(/[\w./-]+\.(?:ts|js|mjs|cjs|yml)\b/g) ?? []) {
        expect(existsSync(join(repoRoot, path)), path).toBe(true);
      }
    }
  });
});
