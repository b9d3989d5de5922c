// @ts-check
/**
 * Finds the Electron binary without triggering a download. (`require('electron')` in plain Node
 * downloads it on first use since Electron 36, which our build machines can not do.)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './lint/layer-boundaries.mjs';

/** @returns {{ found: true; path: string } | { found: false; missing: string }} */
export const findElectronBinary = () => {
  const pkgDir = join(repoRoot, 'node_modules', 'electron');
  if (!existsSync(pkgDir)) {
    return { found: false, missing: 'the electron package is not installed (run npm install)' };
  }
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) {
    return {
      found: false,
      missing:
        'the Electron binary has not been downloaded (it can not be on machines without GitHub access; ' +
        'where downloads work, `npx install-electron` fetches it)',
    };
  }
  const distDir = process.env.ELECTRON_OVERRIDE_DIST_PATH || join(pkgDir, 'dist');
  const binary = join(distDir, readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { found: true, path: binary } : { found: false, missing: `the Electron binary is missing at ${binary}` };
};
