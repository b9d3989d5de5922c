import { appendFileSync, createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { DemoListenError, startDemoJournal, type RunningDemoJournal } from './demo-journal-service';

/**
 * The embedded demo journal in a worker thread: what an installed workstation with no journal
 * URL runs (electron/core/demo/embedded-demo-journal.ts starts it and speaks this protocol).
 * A worker rather than a process because the packaged app's Electron fuses forbid running it as
 * plain Node, and a thread keeps PGlite's work off Electron main's event loop all the same.
 *
 *   in:  workerData { dir, patients }; later { type: 'stop' }
 *   out: { type: 'ready', ready } | { type: 'failed', message, code } ; { type: 'stopped' }
 */
const data = workerData as { dir?: unknown; patients?: unknown } | undefined;
const port = parentPort;
let logFile: string | undefined;

const run = async (): Promise<void> => {
  if (!port) {
    throw new Error('demo-journal-worker runs only as a worker thread');
  }
  if (typeof data?.dir !== 'string' || data.dir === '' || typeof data.patients !== 'number') {
    throw new Error('demo-journal-worker needs workerData { dir, patients }');
  }
  const dir = data.dir;
  mkdirSync(dir, { recursive: true });
  // The journal's own lines stay in its folder (synthetic data only), not in the workstation's log.
  logFile = join(dir, 'demo-journal.log');
  const logStream = createWriteStream(logFile, { flags: 'a' });
  // The same port as last time: the workstation's cache (and the drafts in it) belongs to one
  // journal origin, so a new port after a restart would hide yesterday's unsigned notes.
  const portFile = join(dir, 'demo-journal-port');
  const saved = existsSync(portFile) ? readFileSync(portFile, 'utf8').trim() : '';
  const options = { dir, patients: data.patients, logStream };
  const savedPort = /^\d{1,5}$/.test(saved) ? Number(saved) : 0;
  let journal: RunningDemoJournal;
  if (savedPort >= 1 && savedPort <= 65535) {
    try {
      journal = await startDemoJournal({ ...options, port: savedPort });
    } catch (error) {
      // Taken by another program, or (Windows) now inside a range Hyper-V or WSL reserved at boot
      // (EACCES): either way a port of its own, or the demo would fail on every start from now on.
      if (!(error instanceof DemoListenError)) {
        throw error;
      }
      logStream.write(`Port ${savedPort} of the last run can not be used (${error.code}); the demo journal takes another (the workstation starts with a fresh cache).\n`);
      journal = await startDemoJournal({ ...options, port: 0 });
    }
  } else {
    journal = await startDemoJournal({ ...options, port: 0 });
  }
  writeFileSync(portFile, new URL(journal.ready.journalUrl).port);
  port.on('message', (message: unknown) => {
    if ((message as { type?: unknown } | null)?.type === 'stop') {
      void journal
        .close()
        .catch(() => undefined)
        // Its last lines reach the file before main ends the thread.
        .then(() => new Promise<void>((flushed) => logStream.end(flushed)))
        .then(() => {
          port.postMessage({ type: 'stopped' });
          port.close();
        });
    }
  });
  port.postMessage({ type: 'ready', ready: journal.ready });
};

run().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  // A word for the workstation's log (support tells a taken port from a locked folder by it); the
  // message may name the user's folders, so main keeps it out of that log.
  const rawCode = (error as { code?: unknown } | null)?.code;
  const code = typeof rawCode === 'string' && /^[A-Z][A-Z0-9_]{1,40}$/.test(rawCode) ? rawCode : error instanceof Error ? error.name : 'Error';
  if (logFile) {
    // The demo's own log holds the whole message; it is only synthetic data.
    appendFileSync(logFile, `The demo journal could not start: ${message}\n`);
  }
  port?.postMessage({ type: 'failed', message, code });
});
