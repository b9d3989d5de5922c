// @ts-check
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { extractFile, listPackage } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgliteAssets } from '../scripts/build.mjs';
import { repoRoot } from '../scripts/lint/layer-boundaries.mjs';

const work = mkdtempSync(join(tmpdir(), 'akson-pack-'));
const out = join(work, 'release');
const unpacked = join(out, 'linux-unpacked');

/**
 * Runs the real electron-builder with our electron-builder.yml for a Linux `dir` target. The
 * Electron binary can not be downloaded here, so a stand-in with Electron's fuse wire takes its
 * place (-c.electronDist); everything else (file selection, asar, extraResources, afterPack) is real.
 */
beforeAll(() => {
  const build = spawnSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, encoding: 'utf8' });
  expect(build.status, build.stderr).toBe(0);
  const dist = join(work, 'electron-dist');
  mkdirSync(dist);
  const wire = [0x31, 0x30, 0x31, 0x31, 0x30, 0x30, 0x30, 0x31];
  writeFileSync(
    join(dist, 'electron'),
    Buffer.concat([Buffer.alloc(64, 7), Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), Buffer.from([1, wire.length, ...wire])]),
    { mode: 0o755 },
  );
  writeFileSync(join(dist, 'version'), 'v45.5.0');
  const cli = join(repoRoot, 'node_modules', 'electron-builder', 'cli.js');
  const pack = spawnSync(
    process.execPath,
    [cli, '--linux', 'dir', '--publish', 'never', `-c.electronDist=${dist}`, `-c.directories.output=${out}`, '-c.npmRebuild=false'],
    { cwd: repoRoot, encoding: 'utf8' },
  );
  expect(pack.status, `${pack.stdout}\n${pack.stderr}`).toBe(0);
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('electron-builder.yml', () => {
  it('packs only the built app into app.asar: no source, no source maps, no node_modules but the native addons', () => {
    const files = listPackage(join(unpacked, 'resources', 'app.asar'), { isPack: false }).map((f) => f.replaceAll('\\', '/'));
    expect(files).toContain('/dist/electron/main.cjs');
    expect(files).toContain('/dist/electron/preload.cjs');
    expect(files).toContain('/dist/renderer/index.html');
    expect(files).toContain('/package.json');
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    // node_modules only for the runtime "dependencies" (the native addons) and what they need,
    // without their C sources or build leftovers; the .node binaries unpacked beside the asar.
    /** @type {unknown} */
    const parsed = JSON.parse(readFileSync(join(repoRoot, 'package-lock.json'), 'utf8'));
    const lock = /** @type {{ packages: Record<string, { dev?: boolean }> }} */ (parsed);
    // By name: electron-builder hoists the runtime tree its own way (a nested version may land on top).
    const runtime = new Set(
      Object.entries(lock.packages)
        .filter(([path, entry]) => path.startsWith('node_modules/') && !entry.dev)
        .map(([path]) => `/node_modules/${path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)}`),
    );
    const packed = new Set(files.filter((f) => f.startsWith('/node_modules/')).map((f) => f.split('/').slice(0, f.startsWith('/node_modules/@') ? 4 : 3).join('/')));
    expect([...packed].filter((dir) => !runtime.has(dir))).toEqual([]);
    expect(packed).toContain('/node_modules/pkcs11js');
    expect(packed).toContain('/node_modules/better-sqlite3-multiple-ciphers');
    expect(files.filter((f) => f.startsWith('/node_modules/') && /\.(c|cc|cpp|h|hpp|gyp|gypi|Makefile|mk)$/.test(f))).toEqual([]);
    const unpackedAddons = join(unpacked, 'resources', 'app.asar.unpacked', 'node_modules');
    expect(existsSync(join(unpackedAddons, 'better-sqlite3-multiple-ciphers', 'build', 'Release', 'better_sqlite3.node'))).toBe(true);
    expect(existsSync(join(unpackedAddons, 'pkcs11js', 'build', 'Release', 'pkcs11.node'))).toBe(true);
    expect(files.filter((f) => /^\/(electron|renderer|shared|server|scripts)\//.test(f))).toEqual([]);
  });

  it('unpacks the demo journal worker with PGlite\'s files beside it, and main carries the unpacked worker\'s hash', () => {
    const unpackedElectron = join(unpacked, 'resources', 'app.asar.unpacked', 'dist', 'electron');
    for (const file of ['demo-journal-worker.mjs', ...pgliteAssets]) {
      expect(existsSync(join(unpackedElectron, file)), file).toBe(true);
    }
    const worker = readFileSync(join(unpackedElectron, 'demo-journal-worker.mjs'));
    const main = extractFile(join(unpacked, 'resources', 'app.asar'), 'dist/electron/main.cjs').toString('utf8');
    expect(main).toContain(`"${createHash('sha256').update(worker).digest('hex')}"`);
  });

  it('flips the fuses in the packed binary through afterPack', async () => {
    const binary = join(unpacked, 'akson');
    expect(existsSync(binary)).toBe(true);
    const wire = /** @type {Record<number, number>} */ (/** @type {unknown} */ (await getCurrentFuseWire(binary)));
    expect(wire[FuseV1Options.RunAsNode]).toBe(0x30);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(0x30);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(0x31);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(0x31);
  });
});
