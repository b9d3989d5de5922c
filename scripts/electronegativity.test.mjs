// @ts-check
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './lint/layer-boundaries.mjs';

const script = join(repoRoot, 'scripts', 'electronegativity.mjs');
const work = mkdtempSync(join(tmpdir(), 'akson-eng-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const scan = (/** @type {string} */ source) =>
  spawnSync(process.execPath, [script, '--source', source], { encoding: 'utf8' });

describe('Electronegativity in the lint lane', () => {
  // The lint lane runs the real scan; this proves the scan can fail.
  it('fails a copy whose window turns off context isolation and the sandbox', () => {
    const weakened = join(work, 'electron');
    cpSync(join(repoRoot, 'electron'), weakened, { recursive: true });
    const window = join(weakened, 'main', 'main-window.ts');
    writeFileSync(
      window,
      readFileSync(window, 'utf8')
        .replace('nodeIntegration: false,', 'nodeIntegration: true,')
        .replace('sandbox: true,', 'sandbox: false,')
        .replace('contextIsolation: true,', 'contextIsolation: false,'),
    );
    const run = scan(weakened);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/SANDBOX_JS_CHECK/);
    expect(run.stderr).toMatch(/CONTEXT_ISOLATION_JS_CHECK/);
  }, 60_000);
});
