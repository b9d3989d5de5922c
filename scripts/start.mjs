// @ts-check
/**
 * `npm start`: builds, starts the embedded demo journal (the real journal API on PGlite in
 * ./.akson-demo, synthetic patients, trusting only the demo CA) and then the workstation, logged
 * in with the software TEST card: in Electron when its binary is present, otherwise the dev host
 * (the same core and contract over a WebSocket on 127.0.0.1) with the link to open in a browser.
 *
 *   npm start [-- --host] [-- --port N] [-- --no-build] [-- --data DIR] [-- --patients N]
 *   npm start -- --journal URL    use a journal API that is already running (no demo journal)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildAll } from './build.mjs';
import { findElectronBinary } from './electron-binary.mjs';
import { repoRoot } from './lint/layer-boundaries.mjs';

const { values } = parseArgs({
  options: {
    host: { type: 'boolean', default: false },
    port: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
    data: { type: 'string', default: join(repoRoot, '.akson-demo') },
    patients: { type: 'string', default: '300' },
    journal: { type: 'string' },
    // Log in with another of the demo's TEST cards (README, "Demo cards"): its HPR number.
    card: { type: 'string' },
  },
  strict: true,
});

/**
 * @typedef {{ journalUrl: string; testCard: string; pin: string; clinician: string; trustAnchors: string[]; trustCrls: string[] }} DemoReady
 */

/**
 * Resolves with the demo journal's ready line (see scripts/demo/demo-journal.ts), or rejects
 * when it exits first; its stdout is passed on otherwise.
 * @param {import('node:child_process').ChildProcess} child
 * @returns {Promise<DemoReady>}
 */
const waitForDemo = (child) =>
  new Promise((resolve, reject) => {
    let buffer = '';
    let done = false;
    child.stdout?.on('data', (/** @type {Buffer} */ chunk) => {
      if (done) {
        process.stdout.write(chunk);
        return;
      }
      buffer += chunk.toString('utf8');
      const line = buffer.split('\n').find((l) => l.startsWith('AKSON_DEMO_READY '));
      if (line) {
        done = true;
        const ready = /** @type {unknown} */ (JSON.parse(line.slice('AKSON_DEMO_READY '.length)));
        const fields = ['journalUrl', 'testCard', 'pin', 'clinician'];
        const lists = ['trustAnchors', 'trustCrls'];
        const record = /** @type {Record<string, unknown>} */ (ready);
        const isFileList = (/** @type {unknown} */ value) => Array.isArray(value) && value.every((file) => typeof file === 'string' && file !== '');
        if (typeof ready !== 'object' || ready === null || !fields.every((field) => typeof record[field] === 'string') || !lists.every((list) => isFileList(record[list]))) {
          reject(new Error('the demo journal announced itself without journalUrl, testCard, pin, clinician, trustAnchors and trustCrls'));
          return;
        }
        resolve(/** @type {DemoReady} */ (ready));
      }
    });
    child.on('exit', (code) => {
      if (!done) {
        reject(new Error(`the demo journal exited (${code}) before it was ready; its messages are above`));
      }
    });
  });

process.env.ELECTRON_SKIP_BINARY_DOWNLOAD = '1';
if (!values['no-build']) {
  await buildAll();
}

/** @type {import('node:child_process').ChildProcess | undefined} */
let journal;
/** @type {Record<string, string>} */
const sessionEnv = {};
if (values.journal) {
  sessionEnv.AKSON_JOURNAL_URL = values.journal;
} else {
  console.log(`Starting the demo journal (synthetic patients, TEST card) in ${values.data} …`);
  // The same port as last time: the workstation's cache (and the drafts in it) belongs to one
  // journal origin, so a new port after a restart would hide yesterday's unsigned notes.
  const portFile = join(values.data, 'demo-journal-port');
  const savedPort = existsSync(portFile) ? readFileSync(portFile, 'utf8').trim() : '';
  const startJournal = (/** @type {string} */ port) =>
    spawn(process.execPath, [join(repoRoot, 'dist', 'tools', 'demo-journal.mjs'), '--data', values.data, '--patients', values.patients, '--port', port], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
  journal = startJournal(/^\d{2,5}$/.test(savedPort) ? savedPort : '0');
  /** @type {DemoReady} */
  let ready;
  try {
    ready = await waitForDemo(journal);
  } catch (error) {
    if (!/^\d{2,5}$/.test(savedPort)) {
      throw error;
    }
    console.log(`Port ${savedPort} of the last run is taken; the demo journal takes another (the workstation starts with a fresh cache).`);
    journal = startJournal('0');
    ready = await waitForDemo(journal);
  }
  mkdirSync(values.data, { recursive: true });
  writeFileSync(portFile, new URL(ready.journalUrl).port);
  Object.assign(sessionEnv, {
    AKSON_JOURNAL_URL: ready.journalUrl,
    // This journal is the embedded demo (synthetic data): the workstation shows its DEMO banner.
    AKSON_DEMO_JOURNAL: ready.journalUrl,
    AKSON_TEST_CARD: values.card ? join(dirname(ready.testCard), `demo-card-${values.card}`) : ready.testCard,
    AKSON_DATA_DIR: join(values.data, 'workstation'),
    // The roots the workstation verifies signatures against (demo CA: the TEST card's notes;
    // hospital test CA: the seeded discharge letters) and their CRLs, as PEM file lists.
    AKSON_TRUST_ANCHORS: ready.trustAnchors.join(delimiter),
    AKSON_TRUST_CRLS: ready.trustCrls.join(delimiter),
  });
  console.log(`Demo journal on ${ready.journalUrl}. Log in with the TEST card: ${values.card ? `demo-card-${values.card}` : ready.clinician}, PIN ${ready.pin}.`);
  console.log(`(The demo journal is process ${journal.pid}: stop it to see the workstation carry on offline from its cache.)\n`);
}

const electron = findElectronBinary();
/** @type {import('node:child_process').ChildProcess} */
let child;
if (electron.found && !values.host) {
  console.log('Starting Akson in Electron …');
  if (values.port) {
    console.log('(--port applies to the dev host only; Electron talks to core over IPC.)');
  }
  child = spawn(electron.path, [repoRoot], { stdio: 'inherit', env: { ...process.env, ...sessionEnv, ELECTRON_RUN_AS_NODE: undefined } });
} else {
  const why = electron.found ? '--host was given' : electron.missing;
  console.log(`Electron is not started: ${why}.`);
  console.log('Starting the dev host instead: the same workstation core, served to a browser on 127.0.0.1.\n');
  const args = [join(repoRoot, 'dist', 'host', 'host.mjs'), ...(values.port ? ['--port', values.port] : [])];
  child = spawn(process.execPath, args, { stdio: 'inherit', env: { ...process.env, ...sessionEnv } });
}

child.on('error', (error) => {
  console.error(`Could not start ${electron.found && !values.host ? 'Electron' : 'the dev host'}: ${error.message}`);
  console.error(electron.found && !values.host ? 'Try `npm start -- --host` to use the dev host in a browser.' : '');
  process.exit(1);
});

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(signal, () => {
    child.kill(signal);
    journal?.kill(signal);
  });
}
child.on('exit', (code, signal) => {
  journal?.kill('SIGTERM');
  process.exit(code ?? (signal ? 1 : 0));
});
// The workstation is offline-first: when the demo journal stops, it carries on from its cache
// (and says so), as it would when a clinic's network goes down. Ctrl+C stops it.
journal?.on('exit', (code, signal) => {
  console.error(`The demo journal stopped (${signal ?? `exit ${code}`}); the workstation carries on offline from its cache. Stop it with Ctrl+C.`);
  journal = undefined;
});
