// @ts-check
/**
 * Part of `npm run lint`: Doyensec's Electronegativity over the Electron code (main, preload and
 * the core they load), offline, failing on any finding. Test files are left out (they build fake
 * windows on purpose). A finding that has been reviewed and accepted is silenced where it occurs
 * with the tool's own `eng-disable CHECK_ID` comment, which must say why.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from './lint/layer-boundaries.mjs';

// --source lets the test point the scan at a deliberately weakened copy.
const { values } = parseArgs({ options: { source: { type: 'string', default: join(repoRoot, 'electron') } } });
const source = resolve(values.source);

/** @type {unknown} */
const electronManifest = JSON.parse(readFileSync(join(repoRoot, 'node_modules', 'electron', 'package.json'), 'utf8'));
const electronVersion = /** @type {{ version: string }} */ (electronManifest).version;

const work = mkdtempSync(join(tmpdir(), 'akson-electronegativity-'));
try {
  const scanned = join(work, 'electron');
  cpSync(source, scanned, {
    recursive: true,
    filter: (source) => !/\.test\.ts$/.test(source) && !source.includes('test-support'),
  });
  const report = join(work, 'report.csv');
  const cli = join(repoRoot, 'node_modules', '@doyensec', 'electronegativity', 'dist', 'index.js');
  // -e: the Electron version we ship, so it does not try to fetch release data from the network.
  const run = spawnSync(process.execPath, [cli, '-i', scanned, '-e', electronVersion, '-o', report, '-r'], {
    encoding: 'utf8',
  });
  if (run.status !== 0) {
    console.error(run.stdout, run.stderr);
    throw new Error(`electronegativity exited with ${run.status}`);
  }
  if (/error|could not parse|failed to parse/i.test(run.stderr.replace(/Could not retrieve updated translations.*\n?/g, '').replace(/Something went wrong while fetching Electron's releases.*\n?/g, ''))) {
    console.error(run.stderr);
    throw new Error('electronegativity could not read every file');
  }
  const findings = readFileSync(report, 'utf8').trim().split('\n').slice(1).filter((line) => line.trim() !== '');
  if (findings.length > 0) {
    console.error(`Electronegativity: ${findings.length} finding(s) in electron/ (Electron ${electronVersion}):`);
    for (const finding of findings) {
      console.error(`  ${finding}`);
    }
    process.exit(1);
  }
  console.log(`Electronegativity: no findings in electron/ (Electron ${electronVersion}).`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
