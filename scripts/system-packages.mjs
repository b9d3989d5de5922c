// @ts-check
/**
 * System packages the tests need, installed with apt when missing and we are root on
 * Debian/Ubuntu; anywhere else we stop at once and print the exact command to run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @typedef {object} SystemPackage
 * @property {string} apt      Debian package name
 * @property {string} binary   what the package installs, to tell whether it is there
 * @property {() => boolean} present
 * @property {string} why      what needs it
 */

/** PostgreSQL's server binaries live under a versioned folder (/usr/lib/postgresql/15/bin). */
const hasPostgresServer = () =>
  existsSync('/usr/lib/postgresql') &&
  readdirSync('/usr/lib/postgresql').some((version) => existsSync(join('/usr/lib/postgresql', version, 'bin', 'initdb')));

/** @type {SystemPackage[]} */
export const testPackages = [
  {
    apt: 'chromium',
    binary: '/usr/bin/chromium',
    present: () => existsSync('/usr/bin/chromium'),
    why: 'e2e tests (Playwright drives Debian Chromium)',
  },
  {
    apt: 'softhsm2',
    binary: '/usr/lib/softhsm/libsofthsm2.so',
    present: () => existsSync('/usr/lib/softhsm/libsofthsm2.so') && existsSync('/usr/bin/softhsm2-util'),
    why: 'smart-card tests on a software token through PKCS#11',
  },
  {
    apt: 'opensc',
    binary: '/usr/bin/pkcs11-tool',
    present: () => existsSync('/usr/bin/pkcs11-tool'),
    why: 'the card support tools (pkcs11-tool) and OpenSC, the PKCS#11 module for real card readers',
  },
  {
    apt: 'openssl',
    binary: '/usr/bin/openssl',
    present: () => existsSync('/usr/bin/openssl'),
    why: 'the test CA revocation list and the check that OpenSSL accepts our signatures',
  },
  {
    apt: 'postgresql',
    binary: '/usr/lib/postgresql/<version>/bin/initdb',
    present: hasPostgresServer,
    why: 'the journal API tests, which run on PostgreSQL as well as PGlite',
  },
];

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = () => existsSync('/etc/debian_version') && existsSync('/usr/bin/apt-get');

/** @param {SystemPackage[]} packages */
export const ensureSystemPackages = (packages) => {
  const missing = packages.filter((pkg) => !pkg.present());
  if (missing.length === 0) {
    return;
  }
  const names = missing.map((pkg) => pkg.apt);
  const command = `apt-get update && apt-get install -y --no-install-recommends ${names.join(' ')}`;
  for (const pkg of missing) {
    console.log(`Missing system package ${pkg.apt} (${pkg.binary}), needed for ${pkg.why}.`);
  }
  if (!hasApt() || !isRoot()) {
    console.error(
      `\nCan not install them here (${hasApt() ? 'not running as root' : 'not a Debian/Ubuntu machine'}). Run:\n\n  sudo sh -c '${command}'\n\nthen run npm test again.`,
    );
    process.exit(1);
  }
  console.log(`Installing with apt: ${names.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-qq'], ['install', '-y', '-qq', '--no-install-recommends', ...names]]) {
    const run = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env });
    if (run.status !== 0) {
      console.error(`apt-get ${args.join(' ')} failed (exit ${run.status}). Run it by hand to see why:\n  ${command}`);
      process.exit(1);
    }
  }
  const stillMissing = missing.filter((pkg) => !pkg.present());
  if (stillMissing.length > 0) {
    console.error(`apt-get finished but these are still missing: ${stillMissing.map((pkg) => pkg.binary).join(', ')}`);
    process.exit(1);
  }
};
