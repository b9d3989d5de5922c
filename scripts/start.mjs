// @ts-check
/**
 * `npm start`: builds, then starts the workstation in Electron when its binary is present;
 * otherwise starts the dev host (the same core and contract over a WebSocket on 127.0.0.1) and
 * prints the link to open in a browser.
 *
 *   npm start [-- --host] [-- --port N] [-- --no-build]
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildAll } from './build.mjs';
import { findElectronBinary } from './electron-binary.mjs';
import { repoRoot } from './lint/layer-boundaries.mjs';

const { values } = parseArgs({
  options: {
    host: { type: 'boolean', default: false },
    port: { type: 'string' },
    'no-build': { type: 'boolean', default: false },
  },
  strict: true,
});

process.env.ELECTRON_SKIP_BINARY_DOWNLOAD = '1';
if (!values['no-build']) {
  await buildAll();
}

const electron = findElectronBinary();
/** @type {import('node:child_process').ChildProcess} */
let child;
if (electron.found && !values.host) {
  console.log('Starting Akson in Electron …');
  if (values.port) {
    console.log('(--port applies to the dev host only; Electron talks to core over IPC.)');
  }
  child = spawn(electron.path, [repoRoot], { stdio: 'inherit', env: { ...process.env, ELECTRON_RUN_AS_NODE: undefined } });
} else {
  const why = electron.found ? '--host was given' : electron.missing;
  console.log(`Electron is not started: ${why}.`);
  console.log('Starting the dev host instead: the same workstation core, served to a browser on 127.0.0.1.\n');
  const args = [join(repoRoot, 'dist', 'host', 'host.mjs'), ...(values.port ? ['--port', values.port] : [])];
  child = spawn(process.execPath, args, { stdio: 'inherit' });
}

child.on('error', (error) => {
  console.error(`Could not start ${electron.found && !values.host ? 'Electron' : 'the dev host'}: ${error.message}`);
  console.error(electron.found && !values.host ? 'Try `npm start -- --host` to use the dev host in a browser.' : '');
  process.exit(1);
});

for (const signal of /** @type {const} */ (['SIGINT', 'SIGTERM'])) {
  process.on(signal, () => child.kill(signal));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
