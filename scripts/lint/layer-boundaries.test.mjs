// @ts-check
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { RuleTester } from 'eslint';
import { afterAll, describe, expect, it } from 'vitest';
import plugin, { repoRoot, violation } from './layer-boundaries.mjs';

const at = (/** @type {string} */ rel) => join(repoRoot, rel);

describe('layer rule: the ARCHITECTURE.md table', () => {
  it.each([
    ['renderer/src/a.ts', '../../electron/core', /renderer\/ may not import electron\/core/],
    ['renderer/src/a.ts', '../../server/store', /renderer\/ may not import server/],
    ['renderer/src/a.ts', 'electron', /may not import 'electron'/],
    ['renderer/src/a.ts', 'node:fs', /Node built-in/],
    ['shared/contract/a.ts', 'fs', /Node built-in/],
    ['shared/contract/a.ts', '../../renderer/src/x', /shared\/ may not import renderer/],
    ['electron/core/a.ts', 'electron', /electron\/core\/ may not import 'electron'/],
    ['electron/core/a.ts', '../main/ipc-bridge', /electron\/core\/ may not import electron\/main/],
    ['electron/host/a.ts', 'electron/main', /electron\/host\/ may not import 'electron'/],
    ['electron/host/a.ts', '../main/app-origin', /may not import electron\/main/],
    ['electron/preload/a.ts', '../core', /electron\/preload\/ may not import electron\/core/],
    ['server/a.ts', '../electron/core', /server\/ may not import electron\/core/],
    ['server/a.ts', '../../outside', /outside the repository/],
  ])('%s importing %s is refused', (file, spec, reason) => {
    expect(violation(at(file), spec)).toMatch(reason);
  });

  it.each([
    ['renderer/src/a.ts', '../../shared/contract'],
    ['renderer/src/a.ts', 'react'],
    ['electron/core/a.ts', '../../shared/contract'],
    ['electron/core/a.ts', 'node:crypto'],
    ['electron/host/a.ts', '../core'],
    ['electron/main/a.ts', 'electron'],
    ['electron/main/a.ts', '../core'],
    ['electron/preload/a.ts', 'electron'],
    ['server/a.ts', '../shared/contract'],
    ['scripts/a.mjs', '../electron/core'],
  ])('%s importing %s is allowed', (file, spec) => {
    expect(violation(at(file), spec)).toBeUndefined();
  });

  it('reports every import form through ESLint', () => {
    const tester = new RuleTester({ languageOptions: { ecmaVersion: 2024, sourceType: 'module' } });
    const filename = at('renderer/src/probe.ts');
    tester.run('layer-boundaries', plugin.rules['layer-boundaries'], {
      valid: [{ code: "import { z } from 'zod';", filename }],
      invalid: [
        { code: "import x from '../../electron/core';", filename, errors: 1 },
        { code: "export * from '../../server/x';", filename, errors: 1 },
        { code: "export { a } from 'electron';", filename, errors: 1 },
        { code: "await import('../../electron/host');", filename, errors: 1 },
        { code: "require('electron');", filename, errors: 1 },
      ],
    });
  });
});

describe('npm run lint refuses a deliberate cross-layer import', () => {
  /** Probe files written into the real tree, linted with the real config, then removed. */
  const probes = {
    'renderer/src/__layer_probe_core__.ts': "import { createCore } from '../../electron/core';\nexport const probe = createCore;\n",
    'renderer/src/__layer_probe_server__.ts': "export * from '../../server/__nothing__';\n",
    'electron/core/__layer_probe__.ts': "import { app } from 'electron';\nexport const probe = app;\n",
    'electron/host/__layer_probe__.ts': "import { ipcMain } from 'electron';\nexport const probe = ipcMain;\n",
    'renderer/src/__layer_probe_ok__.ts': "import { callNames } from '../../shared/contract';\nexport const probe = callNames;\n",
  };
  const removeProbes = () => {
    for (const file of Object.keys(probes)) {
      rmSync(at(file), { force: true });
    }
  };
  afterAll(removeProbes);

  it('fails on each forbidden probe and passes the allowed one', () => {
    // A run interrupted before afterAll may have left probes behind; start clean.
    removeProbes();
    for (const [file, code] of Object.entries(probes)) {
      mkdirSync(dirname(at(file)), { recursive: true });
      writeFileSync(at(file), code);
    }
    const eslint = join(repoRoot, 'node_modules', 'eslint', 'bin', 'eslint.js');
    const run = spawnSync(process.execPath, [eslint, '--format', 'json', '--no-warn-ignored', ...Object.keys(probes)], {
      cwd: repoRoot,
      encoding: 'utf8',
    });
    expect(run.status).toBe(1);
    /** @type {unknown} */
    const parsed = JSON.parse(run.stdout);
    const report = /** @type {{ filePath: string; messages: { ruleId: string | null }[] }[]} */ (parsed);
    const layerErrors = Object.fromEntries(
      report.map((r) => [r.filePath.slice(repoRoot.length + 1), r.messages.filter((m) => m.ruleId === 'akson/layer-boundaries').length]),
    );
    expect(layerErrors).toEqual({
      'renderer/src/__layer_probe_core__.ts': 1,
      'renderer/src/__layer_probe_server__.ts': 1,
      'electron/core/__layer_probe__.ts': 1,
      'electron/host/__layer_probe__.ts': 1,
      'renderer/src/__layer_probe_ok__.ts': 0,
    });
  }, 60_000);
});
