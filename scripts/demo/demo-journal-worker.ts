import { createWriteStream, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { startDemoJournal, type RunningDemoJournal } from './demo-journal-service';

/**
 * The embedded demo journal in a worker thread: what an installed workstation with no journal
 * URL runs (electron/core/demo/embedded-demo-journal.ts starts it and speaks this protocol).
 * A worker rather than a process because the packaged app's Electron fuses forbid running it as
 * plain Node, and a thread keeps PGlite's work off Electron main's event loop all the same.
 *
 *   in:  workerData { dir, patients }; later { type: 'stop' }
 *   out: { type: 'ready', ready } | { type: 'failed', message } ; { type: 'stopped' }
 */
const data = workerData as { dir?: unknown; patients?: unknown } | undefined;
const port = parentPort;

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
  const logStream = createWriteStream(join(dir, 'demo-journal.log'), { flags: 'a' });
  // The same port as last time: the workstation's cache (and the drafts in it) belongs to one
  // journal origin, so a new port after a restart would hide yesterday's unsigned notes.
  const portFile = join(dir, 'demo-journal-port');
  const saved = existsSync(portFile) ? readFileSync(portFile, 'utf8').trim() : '';
  const options = { dir, patients: data.patients, logStream };
  let journal: RunningDemoJournal;
  if (/^\d{2,5}$/.test(saved)) {
    try {
      journal = await startDemoJournal({ ...options, port: Number(saved) });
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'EADDRINUSE') {
        throw error;
      }
      logStream.write(`Port ${saved} of the last run is taken; the demo journal takes another (the workstation starts with a fresh cache).\n`);
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
        .then(() => {
          port.postMessage({ type: 'stopped' });
          logStream.end();
          port.close();
        });
    }
  });
  port.postMessage({ type: 'ready', ready: journal.ready });
};

run().catch((error: unknown) => {
  port?.postMessage({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
});
