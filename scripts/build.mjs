// @ts-check
/**
 * `npm run build`: renderer with Vite to dist/renderer; Electron main and preload with esbuild to
 * dist/electron (CommonJS, 'electron' left external); the dev host to dist/host.
 */
import { createHash } from 'node:crypto';
import { realpathSync } from 'node:fs';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import { repoRoot } from './lint/layer-boundaries.mjs';

/**
 * The journal API (dist/server/main.mjs); npm packages stay external and load from node_modules.
 * @param {import('esbuild').BuildOptions} common
 */
export const buildServer = (common) =>
  esbuild({
    ...common,
    entryPoints: { main: 'server/main.ts', seed: 'server/seed-cli.ts', directory: 'server/directory-cli.ts', audit: 'server/audit-cli.ts', 'bench-server': 'server/bench/bench-server.ts' },
    outdir: 'dist/server',
    outExtension: { '.js': '.mjs' },
    format: 'esm',
    target: 'node20',
    packages: 'external',
  });

/**
 * Support and test tools (dist/tools): the card tool, the test PKI, and the demo journal `npm start` runs.
 * @param {import('esbuild').BuildOptions} common
 */
export const buildTools = (common) =>
  esbuild({
    ...common,
    entryPoints: { card: 'electron/core/tools/card-cli.ts', 'journal-read': 'electron/core/tools/journal-read-cli.ts', 'test-pki': 'scripts/test-pki/test-pki-cli.ts', 'bench-card': 'scripts/bench/bench-card.ts', 'bench-sync': 'scripts/bench/bench-sync.ts', 'bench-search': 'scripts/bench/bench-search.ts', 'bench-ui': 'scripts/bench/bench-ui.ts', 'demo-journal': 'scripts/demo/demo-journal.ts' },
    outdir: 'dist/tools',
    outExtension: { '.js': '.mjs' },
    format: 'esm',
    target: 'node20',
    packages: 'external',
  });

/**
 * Native addons stay real modules (package.json "dependencies"): a .node file can not be bundled,
 * and electron-builder rebuilds them for Electron's ABI on the packaging runner.
 */
const nativeAddons = ['pkcs11js', 'better-sqlite3-multiple-ciphers'];

/** PGlite's WebAssembly and its data image: it loads them from beside the module that imports it. */
export const pgliteAssets = ['pglite.wasm', 'pglite.data', 'initdb.wasm'];

/**
 * The embedded demo journal an installed workstation runs when no journal URL is set, as one
 * self-contained worker bundle in dist/electron (the packaged app has no node_modules but the
 * native addons), with PGlite's files beside it.
 * @param {import('esbuild').BuildOptions} common
 * @param {string} [outdir]
 * @returns {Promise<string>} the bundle's SHA-256, hex
 */
export const buildDemoJournalWorker = async (common, outdir = join(repoRoot, 'dist', 'electron')) => {
  await esbuild({
    ...common,
    entryPoints: { 'demo-journal-worker': 'scripts/demo/demo-journal-worker.ts' },
    outdir,
    outExtension: { '.js': '.mjs' },
    format: 'esm',
    // Electron 45's Node 22 runs it in main; the dev host's Node 20 in the tests.
    target: 'node20',
    // Nothing external: a native addon imported statically fails the build here (no loader for
    // .node) rather than on a PC whose asar.unpacked folder holds no node_modules. (Lazy
    // createRequire loads, like create-test-pki's pkcs11js, are not seen: keep them off its path.)
    // Bundled CommonJS (fastify, pino, node-forge) still calls require() for Node's built-ins.
    banner: { js: "import { createRequire as __aksonCreateRequire } from 'node:module'; const require = __aksonCreateRequire(import.meta.url);" },
  });
  const pgliteDist = join(repoRoot, 'node_modules', '@electric-sql', 'pglite', 'dist');
  await mkdir(outdir, { recursive: true });
  await Promise.all(pgliteAssets.map((file) => copyFile(join(pgliteDist, file), join(outdir, file))));
  // Main runs it from outside the asar (whose integrity Electron checks), so main carries its hash
  // and checks the file before it runs it.
  return createHash('sha256').update(await readFile(join(outdir, 'demo-journal-worker.mjs'))).digest('hex');
};

/** @returns {Promise<{ name: string; version: string; buildTime: string }>} */
export const readBuildInfo = async () => {
  /** @type {unknown} */
  const manifest = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8'));
  const pkg = /** @type {{ productName: string; version: string }} */ (manifest);
  return { name: pkg.productName, version: pkg.version, buildTime: new Date().toISOString() };
};


/**
 * What every esbuild bundle here shares: Node platform, source maps, the build stamp.
 * @param {{ name: string; version: string; buildTime: string }} buildInfo
 * @returns {import('esbuild').BuildOptions}
 */
export const esbuildCommon = (buildInfo) => ({
  absWorkingDir: repoRoot,
  bundle: true,
  platform: 'node',
  sourcemap: true,
  logLevel: 'warning',
  define: { __AKSON_BUILD__: JSON.stringify(buildInfo) },
});

export const buildAll = async () => {
  const started = performance.now();
  const buildInfo = await readBuildInfo();

  const common = esbuildCommon(buildInfo);

  await Promise.all([
    viteBuild({ configFile: join(repoRoot, 'vite.config.ts'), logLevel: 'warn' }),
    // Electron 45 runs Node 22 in main; the preload is sandboxed and may require only 'electron'.
    // Main after the demo journal's worker: it carries the worker's hash.
    buildDemoJournalWorker(common).then((workerSha256) =>
      esbuild({
        ...common,
        define: { ...common.define, __AKSON_DEMO_WORKER_SHA256__: JSON.stringify(workerSha256) },
        entryPoints: ['electron/main/main.ts'],
        outfile: 'dist/electron/main.cjs',
        format: 'cjs',
        target: 'node22',
        external: ['electron', ...nativeAddons],
      }),
    ),
    esbuild({ ...common, entryPoints: ['electron/preload/preload.ts'], outfile: 'dist/electron/preload.cjs', format: 'cjs', target: 'chrome140', external: ['electron'] }),
    esbuild({ ...common, entryPoints: ['electron/host/host.ts'], outfile: 'dist/host/host.mjs', format: 'esm', target: 'node20', packages: 'external' }),
    buildServer(common),
    buildTools(common),
  ]);
  console.log(`built ${buildInfo.name} ${buildInfo.version} in ${Math.round(performance.now() - started)} ms -> dist/`);
};

/** True when this file is the script node was started with (on Windows and through symlinks too). */
const isEntryPoint = () => process.argv[1] !== undefined && pathToFileURL(realpathSync(process.argv[1])).href === import.meta.url;

if (isEntryPoint()) {
  const only = { '--server-only': buildServer, '--tools-only': buildTools }[process.argv[2] ?? ''];
  if (only) {
    const buildInfo = await readBuildInfo();
    await only(esbuildCommon(buildInfo));
  } else {
    await buildAll();
  }
}
