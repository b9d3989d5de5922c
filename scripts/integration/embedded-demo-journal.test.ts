import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileKeyStore } from '../../electron/core/cache';
import { createCore, type Core } from '../../electron/core/core';
import { startEmbeddedDemoJournal, wantsEmbeddedDemo, type EmbeddedDemoJournal } from '../../electron/core/demo/embedded-demo-journal';
import { sessionConfigFrom } from '../../electron/core/session/session-service';
import { trustAnchorsFromEnv } from '../../electron/core/signing/trust-anchors';
import { memoryLog } from '../../electron/core/test-support/memory-log';
import type { CallName, CallOutput, Result } from '../../shared/contract';
import { buildDemoJournalWorker, esbuildCommon, readBuildInfo } from '../build.mjs';
import { FILLED_MARKER } from '../demo/demo-journal-service';
import { removeDir } from './sync-harness';

/**
 * An installed workstation with no journal URL: main starts the embedded demo journal from the
 * bundled worker in <userData>/demo-journal and gives core the same variables `npm start` does.
 * Here the real bundle (built as `npm run build` builds it) runs in a worker thread under plain
 * Node, and a real core logs in to it with the demo's TEST card, as main.ts wires it.
 */
describe('the embedded demo journal of an installed build', () => {
  const root = mkdtempSync(join(tmpdir(), 'akson-embedded-demo-'));
  const bundleDir = join(root, 'bundle');
  const userData = join(root, 'userData');
  const demoDir = join(userData, 'demo-journal');
  const workerFile = join(bundleDir, 'demo-journal-worker.mjs');
  const demos: EmbeddedDemoJournal[] = [];
  const cores: Core[] = [];

  const start = async (patients = 12): Promise<EmbeddedDemoJournal> => {
    const demo = await startEmbeddedDemoJournal({ workerFile, workerSha256, dataDir: demoDir, patients, log: memoryLog().log });
    demos.push(demo);
    return demo;
  };

  /** Core as main.ts creates it: the session and trust anchors from the environment with the demo's variables. */
  const coreOn = (demo: EmbeddedDemoJournal): Core => {
    const env = { ...demo.env };
    const core = createCore({
      build: { name: 'Akson', version: '0.0.0-test', buildTime: new Date(0).toISOString() },
      mode: 'dev-host',
      log: memoryLog().log,
      clockIntervalMs: 3_600_000,
      session: sessionConfigFrom(env, {}),
      trustAnchors: trustAnchorsFromEnv(env),
      offline: { dataDir: userData, keyStore: new FileKeyStore(userData) },
    });
    cores.push(core);
    return core;
  };
  const call = async <N extends CallName>(core: Core, name: N, input: unknown): Promise<CallOutput<N>> => {
    const result = (await core.dispatch(name, input)) as Result<CallOutput<N>>;
    if (!result.ok) {
      throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
    }
    return result.value;
  };

  /** The demo GP's list once the prefetch has brought every patient on it into the cache (up to 30 s). */
  const gpListOnceFetched = async (core: Core): Promise<Array<{ patient: unknown }>> => {
    let listed: Array<{ patient: unknown }> = [];
    for (let i = 0; i < 300; i += 1) {
      listed = (await call(core, 'worklist.get', { list: 'gp-list' })).rows;
      if (listed.length > 0 && listed.every((row) => row.patient !== null)) {
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return listed;
  };
  /** The tests run in order on one demo folder: each takes over the journal the one before left running. */
  const runningFromBefore = (): EmbeddedDemoJournal => {
    const running = demos.shift();
    if (!running) {
      throw new Error('no demo journal from the test before');
    }
    return running;
  };

  let workerSha256 = '';

  beforeAll(async () => {
    workerSha256 = await buildDemoJournalWorker(esbuildCommon(await readBuildInfo()), bundleDir);
  }, 60_000);

  afterAll(async () => {
    for (const core of cores) {
      await core.dispose().catch(() => undefined);
    }
    for (const demo of demos) {
      await demo.stop();
    }
    removeDir(root);
  });

  it('runs only when no journal is named in the environment or the settings, and not when IT\'s presets can not be read', () => {
    expect(wantsEmbeddedDemo({}, {}, 'absent')).toBe(true);
    expect(wantsEmbeddedDemo({}, {}, 'ok')).toBe(true);
    expect(wantsEmbeddedDemo({ AKSON_JOURNAL_URL: 'https://journal.example' }, {}, 'absent')).toBe(false);
    expect(wantsEmbeddedDemo({}, { journalUrl: 'https://journal.example' }, 'ok')).toBe(false);
    // A clinic's broken presets file: its journal URL is unknown, not unset.
    expect(wantsEmbeddedDemo({}, {}, 'invalid')).toBe(false);
  });

  it('fills its journal under the user data folder, and a TEST card login sees the demo GP\'s patients with the DEMO banner on', async () => {
    const demo = await start();
    expect(demo.ready.journalUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    // Its journal, PKI and TEST cards are all in <userData>/demo-journal.
    expect(existsSync(join(demoDir, 'journal'))).toBe(true);
    expect(demo.ready.testCard.startsWith(join(demoDir, 'pki'))).toBe(true);
    expect(demo.env.AKSON_DEMO_JOURNAL).toBe(demo.ready.journalUrl);

    const core = coreOn(demo);
    const login = await call(core, 'session.login', { pin: demo.ready.pin });
    expect(login.ok).toBe(true);
    const status = await call(core, 'session.status', {});
    expect(status).toMatchObject({ state: 'active', demoJournal: true, journalUrl: demo.ready.journalUrl, card: { isTest: true } });
    // The prefetch brings the GP's list (every seeded patient, with 12 of them) into the cache.
    expect(await gpListOnceFetched(core)).toHaveLength(12);
    await core.dispose();
    cores.pop();
  }, 120_000);

  it('refuses a second journal on the same folder while the first runs, and keeps its data', async () => {
    await expect(startEmbeddedDemoJournal({ workerFile, workerSha256, dataDir: demoDir, patients: 12, log: memoryLog().log, timeoutMs: 60_000 })).rejects.toThrow(
      /did not start: its folder is already open in this process/,
    );
    // The running one still answers.
    const running = demos[0];
    expect(running).toBeDefined();
    const metadata = await fetch(`${running?.ready.journalUrl ?? ''}/fhir/metadata`);
    expect(metadata.status).toBe(200);
  }, 90_000);

  it('after a stop, starts again on the same port from the same data, without filling it twice', async () => {
    const first = runningFromBefore();
    const url = first.ready.journalUrl;
    await first.stop();
    await expect(fetch(`${url}/fhir/metadata`)).rejects.toThrow();
    const again = await start();
    // The same origin, so the clinician's cache and unsigned drafts on this PC are theirs again.
    expect(again.ready.journalUrl).toBe(url);
    const log = readFileSync(join(demoDir, 'demo-journal.log'), 'utf8');
    expect(log.match(/Filling the demo journal/g)).toHaveLength(1);
  }, 90_000);

  it('takes another port when the saved one is taken, and starts a half-done first fill again from empty', async () => {
    const running = runningFromBefore();
    const url = running.ready.journalUrl;
    await running.stop();
    // Someone else now listens on the demo's port, and the last first fill (as if Akson was killed
    // half-way) never got to write its marker.
    const squatter = createServer();
    await new Promise<void>((listening) => squatter.listen(Number(new URL(url).port), '127.0.0.1', listening));
    rmSync(join(demoDir, FILLED_MARKER));
    try {
      const again = await start();
      expect(again.ready.journalUrl).not.toBe(url);
      const log = readFileSync(join(demoDir, 'demo-journal.log'), 'utf8');
      expect(log).toMatch(/Port \d+ of the last run can not be used \(EADDRINUSE\)/);
      expect(log.match(/An earlier first fill did not finish/g)).toHaveLength(1);
      expect(log.match(/Filling the demo journal/g)).toHaveLength(2);
      expect(existsSync(join(demoDir, FILLED_MARKER))).toBe(true);
      // Filled once, not on top of the half-done one: the demo GP sees their list again.
      const core = coreOn(again);
      await call(core, 'session.login', { pin: again.ready.pin });
      // Twelve, not the 24 a fill on top of the old one would list.
      expect(await gpListOnceFetched(core)).toHaveLength(12);
      await core.dispose();
      cores.pop();
    } finally {
      await new Promise((closed) => squatter.close(closed));
    }
  }, 120_000);

  it('fails with a clear error when the worker is not there, and does not hold the folder after', async () => {
    const other = join(root, 'other');
    const missing = { workerFile: join(root, 'missing.mjs'), workerSha256, dataDir: other, log: memoryLog().log };
    await expect(startEmbeddedDemoJournal(missing)).rejects.toThrow(/did not start: ENOENT/);
    // A second try is not refused as "already open".
    await expect(startEmbeddedDemoJournal(missing)).rejects.toThrow(/did not start: ENOENT/);
  });

  it('does not run a worker file that is not the one this build was made with', async () => {
    const swapped = join(root, 'swapped.mjs');
    writeFileSync(swapped, `${readFileSync(workerFile, 'utf8')}\n// changed after the build\n`);
    const { log, lines } = memoryLog();
    await expect(startEmbeddedDemoJournal({ workerFile: swapped, workerSha256, dataDir: join(root, 'swapped-demo'), patients: 0, log })).rejects.toThrow(
      /not the file this build was made with/,
    );
    expect(lines().join('\n')).toContain('worker-mismatch');
    expect(existsSync(join(root, 'swapped-demo'))).toBe(false);
  });

  it('logs a word for why, and not the folder, when the journal itself can not start; its thread has ended by then', async () => {
    const notAFolder = join(root, 'a-file');
    writeFileSync(notAFolder, 'in the way');
    const { log, lines } = memoryLog();
    const inTheWay = { workerFile, workerSha256, dataDir: join(notAFolder, 'demo-journal'), patients: 0, log };
    await expect(startEmbeddedDemoJournal(inTheWay)).rejects.toThrow(/did not start: (EEXIST|ENOTDIR)/);
    // The failed thread has ended and let go of the folder before the rejection: a retry meets
    // the same cause, not "already open in this process".
    await expect(startEmbeddedDemoJournal(inTheWay)).rejects.toThrow(/did not start: (EEXIST|ENOTDIR)/);
    const line = lines().find((entry) => entry.includes('embedded demo journal did not start'));
    expect(JSON.parse(line ?? '{}')).toMatchObject({ reason: expect.stringMatching(/^E[A-Z]+$/) as unknown });
    expect(lines().join('\n')).not.toContain(root);
  });
});
