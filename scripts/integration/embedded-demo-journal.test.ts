import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
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
    const demo = await startEmbeddedDemoJournal({ workerFile, dataDir: demoDir, patients, log: memoryLog().log });
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

  beforeAll(async () => {
    await buildDemoJournalWorker(esbuildCommon(await readBuildInfo()), bundleDir);
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

  it('runs only when no journal is named in the environment or the settings', () => {
    expect(wantsEmbeddedDemo({}, {})).toBe(true);
    expect(wantsEmbeddedDemo({ AKSON_JOURNAL_URL: 'https://journal.example' }, {})).toBe(false);
    expect(wantsEmbeddedDemo({}, { journalUrl: 'https://journal.example' })).toBe(false);
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
    let rows = 0;
    for (let i = 0; i < 300 && rows === 0; i += 1) {
      rows = (await call(core, 'worklist.get', { list: 'gp-list' })).rows.filter((row) => row.patient !== null).length;
      if (rows === 0) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    expect(rows).toBeGreaterThan(0);
    await core.dispose();
    cores.pop();
  }, 120_000);

  it('refuses a second journal on the same folder while the first runs, and keeps its data', async () => {
    await expect(startEmbeddedDemoJournal({ workerFile, dataDir: demoDir, patients: 12, log: memoryLog().log, timeoutMs: 60_000 })).rejects.toThrow(/did not start/);
    // The running one still answers.
    const running = demos[0];
    expect(running).toBeDefined();
    const metadata = await fetch(`${running?.ready.journalUrl ?? ''}/fhir/metadata`);
    expect(metadata.status).toBe(200);
  }, 90_000);

  it('after a stop, starts again on the same port from the same data, without filling it twice', async () => {
    const first = demos.shift();
    if (!first) {
      throw new Error('no demo journal from the test before');
    }
    const url = first.ready.journalUrl;
    await first.stop();
    await expect(fetch(`${url}/fhir/metadata`)).rejects.toThrow();
    const again = await start();
    // The same origin, so the clinician's cache and unsigned drafts on this PC are theirs again.
    expect(again.ready.journalUrl).toBe(url);
    const log = readFileSync(join(demoDir, 'demo-journal.log'), 'utf8');
    expect(log.match(/Filling the demo journal/g)).toHaveLength(1);
  }, 90_000);

  it('fails with a clear error, and ends its thread, when the worker is not there', async () => {
    await expect(startEmbeddedDemoJournal({ workerFile: join(root, 'missing.mjs'), dataDir: join(root, 'other'), log: memoryLog().log })).rejects.toThrow(/did not start/);
  });
});
