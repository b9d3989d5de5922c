import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { delimiter, resolve as resolvePath } from 'node:path';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import type { Settings } from '../../../shared/contract';
import type { Logger } from '../logging/logger';
import type { MachineSettings } from '../settings/machine-settings';

/** What the demo journal worker announces when it listens (scripts/demo/demo-journal-worker.ts). */
const readySchema = z.object({
  journalUrl: z.string().regex(/^http:\/\/127\.0\.0\.1:\d{1,5}$/),
  testCard: z.string().min(1),
  pin: z.string().min(1),
  clinician: z.string(),
  trustAnchors: z.array(z.string().min(1)).min(1),
  trustCrls: z.array(z.string().min(1)),
});
const messageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), ready: readySchema }),
  // `code` is a word (EACCES, DataDirLockedError) for the log; `message` may name the user's folders.
  z.object({ type: z.literal('failed'), message: z.string(), code: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,40}$/).optional() }),
  z.object({ type: z.literal('stopped') }),
]);
export type DemoJournalReady = z.infer<typeof readySchema>;

export interface EmbeddedDemoJournal {
  ready: DemoJournalReady;
  /**
   * The same variables `npm start` gives the workstation for its demo journal: its address (also
   * as AKSON_DEMO_JOURNAL, so the DEMO banner shows), the TEST card and the demo's trust anchors.
   */
  env: Record<string, string>;
  /** Closes the journal (its PGlite folder is locked while it runs); ends the thread if that hangs. */
  stop(): Promise<void>;
}

/**
 * Whether this start runs on the embedded demo journal: only when no journal is named anywhere,
 * neither in the environment nor in the settings (IT's presets or the user's file). A clinic's
 * install always names its journal, so it never starts the demo; nor does a PC whose presets file
 * is there but unreadable (its journal URL is then unknown, not unset: the failure screen says so).
 */
export const wantsEmbeddedDemo = (
  env: NodeJS.ProcessEnv,
  values: Pick<Settings, 'journalUrl'>,
  machineFile: MachineSettings['state'],
): boolean => !env.AKSON_JOURNAL_URL && !values.journalUrl && machineFile !== 'invalid';

export const demoSessionEnv = (ready: DemoJournalReady): Record<string, string> => ({
  AKSON_JOURNAL_URL: ready.journalUrl,
  AKSON_DEMO_JOURNAL: ready.journalUrl,
  AKSON_TEST_CARD: ready.testCard,
  AKSON_TRUST_ANCHORS: ready.trustAnchors.join(delimiter),
  AKSON_TRUST_CRLS: ready.trustCrls.join(delimiter),
});

/** Demo journal folders with a worker thread running in this process. */
const openHere = new Set<string>();

export interface EmbeddedDemoOptions {
  /** The bundled worker (dist/electron/demo-journal-worker.mjs; unpacked from the asar when packaged). */
  workerFile: string;
  /**
   * Its SHA-256 (hex) as built. The unpacked file is outside the asar Electron checks, and it runs
   * inside main: a file that does not match is not run.
   */
  workerSha256: string;
  /** Its folder: <userData>/demo-journal in an installed build. */
  dataDir: string;
  /** Synthetic patients on the first start. */
  patients?: number;
  log: Logger;
  /** The first start fills the journal (about half a minute for 300 patients on a slow PC). */
  timeoutMs?: number;
  stopTimeoutMs?: number;
}

/**
 * Starts the embedded demo journal (the real journal API on PGlite, synthetic patients, the TEST
 * card) in a worker thread and resolves once it listens on 127.0.0.1. Rejects, with the thread
 * ended, when it fails, exits or does not answer in time; the workstation then starts without a
 * journal and its failure screen says so.
 */
export const startEmbeddedDemoJournal = ({ workerFile, workerSha256, dataDir, patients = 300, log, timeoutMs = 180_000, stopTimeoutMs = 10_000 }: EmbeddedDemoOptions): Promise<EmbeddedDemoJournal> =>
  new Promise((resolve, reject) => {
    const folder = resolvePath(dataDir);
    // The journal's folder lock holds a process id, and every thread here shares this one: a second
    // thread would take the lock as stale and open the same PGlite folder twice, corrupting it.
    if (openHere.has(folder)) {
      reject(new Error('the embedded demo journal did not start: its folder is already open in this process'));
      return;
    }
    // `reason` is one of our words for the log; `detail` (which may name the user's folders) goes only into the error.
    const notStarted = (reason: string, detail: string): Error => {
      log.error({ reason }, 'embedded demo journal did not start');
      return new Error(`the embedded demo journal did not start: ${detail}`);
    };
    const started = performance.now();
    let worker: Worker;
    try {
      // Checked, then run by path (it finds PGlite's files beside itself through import.meta.url,
      // so it can not run from the checked bytes): this catches a file replaced at rest, the case
      // the asar check covers for everything else; the per-machine install dir is admin-only.
      const code = readFileSync(workerFile);
      if (createHash('sha256').update(code).digest('hex') !== workerSha256.toLowerCase()) {
        reject(notStarted('worker-mismatch', `${workerFile} is not the file this build was made with`));
        return;
      }
      worker = new Worker(workerFile, { workerData: { dir: dataDir, patients } });
    } catch (error) {
      reject(error instanceof Error ? notStarted(error.name, error.message) : notStarted('Error', String(error)));
      return;
    }
    openHere.add(folder);
    let settled = false;
    let readyNow = false;
    let exited = false;
    let stopped: (() => void) | undefined;
    // It rejects once the thread has ended (and let go of the folder), so a retry may start at once.
    const fail = (reason: string, detail = reason): void => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        const error = notStarted(reason, detail);
        void worker.terminate().then(
          () => reject(error),
          () => reject(error),
        );
      }
    };
    const timer = setTimeout(() => fail('timeout'), timeoutMs);
    worker.on('error', (error) => fail(error.name, error.message));
    worker.on('exit', () => {
      exited = true;
      openHere.delete(folder);
      if (readyNow && !stopped) {
        // After it was ready and unasked: the workstation carries on offline from its cache.
        log.error({ reason: 'exited' }, 'embedded demo journal stopped');
      }
      fail('exited');
      stopped?.();
    });
    worker.on('message', (raw: unknown) => {
      const message = messageSchema.safeParse(raw);
      if (!message.success) {
        fail('unreadable message');
        return;
      }
      switch (message.data.type) {
        case 'failed':
          fail(message.data.code ?? 'failed', message.data.message);
          return;
        case 'stopped':
          // The journal is closed and its folder let go: end the thread; its exit ends stop().
          void worker.terminate();
          return;
        case 'ready': {
          if (settled) {
            return;
          }
          settled = true;
          readyNow = true;
          clearTimeout(timer);
          const ready = message.data.ready;
          log.info({ durationMs: Math.round(performance.now() - started) }, 'embedded demo journal ready');
          let stopping: Promise<void> | undefined;
          resolve({
            ready,
            env: demoSessionEnv(ready),
            stop: () =>
              (stopping ??= new Promise<void>((done) => {
                if (exited) {
                  done();
                  return;
                }
                const force = setTimeout(() => void worker.terminate().then(() => done()), stopTimeoutMs);
                stopped = () => {
                  clearTimeout(force);
                  done();
                };
                worker.postMessage({ type: 'stop' });
              })),
          });
        }
      }
    });
  });
