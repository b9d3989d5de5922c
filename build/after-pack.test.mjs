// @ts-check
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, describe, expect, it } from 'vitest';
import afterPack from './after-pack.cjs';


const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const ENABLED = 0x31;
const DISABLED = 0x30;
const work = mkdtempSync(join(tmpdir(), 'akson-fuses-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * A stand-in for the Electron binary with the fuse wire as Electron lays it out (sentinel, wire
 * version 1, wire length, one byte per fuse), every fuse in Electron's default state.
 */
const fakeElectronBinary = (/** @type {string} */ file) => {
  const defaults = [ENABLED, DISABLED, ENABLED, ENABLED, DISABLED, DISABLED, DISABLED, ENABLED];
  writeFileSync(
    file,
    Buffer.concat([Buffer.alloc(4096, 7), Buffer.from(SENTINEL, 'ascii'), Buffer.from([1, defaults.length, ...defaults]), Buffer.alloc(4096, 9)]),
  );
};

describe('afterPack fuses', () => {
  it('turns off RunAsNode, NODE_OPTIONS and inspect, and turns on asar-only and asar integrity', async () => {
    const appOutDir = join(work, 'linux-unpacked');
    rmSync(appOutDir, { recursive: true, force: true });
    mkdirSync(appOutDir);
    fakeElectronBinary(join(appOutDir, 'akson'));
    await afterPack({
      electronPlatformName: 'linux',
      appOutDir,
      packager: { executableName: 'akson', appInfo: { productFilename: 'Akson' } },
    });
    const wire = /** @type {Record<number, number>} */ (/** @type {unknown} */ (await getCurrentFuseWire(join(appOutDir, 'akson'))));
    expect(wire[FuseV1Options.RunAsNode]).toBe(DISABLED);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(DISABLED);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(DISABLED);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ENABLED);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(ENABLED);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(ENABLED);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(DISABLED);
  });

  it('fails the build, rather than ship unfused, when the binary has no fuse wire', async () => {
    const appOutDir = join(work, 'win-unpacked');
    mkdirSync(appOutDir, { recursive: true });
    writeFileSync(join(appOutDir, 'Akson.exe'), Buffer.alloc(1024, 1));
    await expect(
      afterPack({ electronPlatformName: 'win32', appOutDir, packager: { executableName: 'akson', appInfo: { productFilename: 'Akson' } } }),
    ).rejects.toThrow(/sentinel/);
  });
});
