/**
 * A workstation core in its own process, for the crash test (sync-crash.test.ts): it logs in with
 * the TEST card, then saves notes and edits through the contract until it is killed (`work`), or
 * sends everything left and exits (`drain`). Bundled with esbuild by the test and run with Node.
 *
 * Protocol on stdout, one line each (Node writes to a pipe synchronously on Linux, so a line the
 * parent reads was written before the kill):
 *   READY <status json>          logged in, cache open
 *   STATUS <pending> <syncing>   the engine's status changed
 *   SAVED <change json>          `journal.save` answered ok: core confirmed the change as saved
 *   DRAINED <report json>        drain mode only, then exit 0
 */
import { FileKeyStore, type FhirResource } from '../../../electron/core/cache';
import { createCore } from '../../../electron/core/core';
import { createLogger } from '../../../electron/core/logging/logger';
import type { CallName, CallOutput, EventPayload, Result } from '../../../shared/contract';

export interface CrashChildConfig {
  mode: 'work' | 'drain';
  journalUrl: string;
  cardFolder: string;
  pin: string;
  dataDir: string;
  patients: string[];
  medications: { id: string; patientId: string }[];
  seed: number;
  /**
   * Up to this long between reading the chart and saving the edit (a user's think time); 0 saves at
   * once. Above 0 an edit can be based on a local version whose change is sent meanwhile, which the
   * engine must send on top of its own change rather than report as a conflict.
   */
  thinkMs: number;
}

export interface SavedLine {
  clientId: string;
  kind: 'create' | 'update';
  resourceType: string;
  resourceId: string;
}

export interface DrainReport {
  pending: number;
  conflicts: number;
  failed: number;
  lastError: string | null;
  rounds: number;
  conflictDetails: { resourceType: string; resourceId: string; mineTag: string | undefined; theirsVersion: string | undefined; theirsTag: string | undefined }[];
}

const config = JSON.parse(process.env['AKSON_CRASH_CHILD'] ?? 'null') as CrashChildConfig | null;
if (!config) {
  throw new Error('AKSON_CRASH_CHILD is not set');
}

/** mulberry32: a small seeded generator, so a failing run can be replayed from its seed. */
const seeded = (seed: number): (() => number) => {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};
const random = seeded(config.seed);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const line = (text: string): void => {
  process.stdout.write(`${text}\n`);
};
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const core = createCore({
  build: { name: 'Akson', version: '0.1.0', buildTime: '2026-11-28T08:00:00.000Z' },
  mode: 'dev-host',
  log: createLogger({ name: 'crash-child', level: 'silent' }),
  clockIntervalMs: 3_600_000,
  session: { journalUrl: config.journalUrl, card: { kind: 'test-card', folder: config.cardFolder } },
  offline: { dataDir: config.dataDir, keyStore: new FileKeyStore(config.dataDir) },
});
const call = async <N extends CallName>(name: N, input: unknown): Promise<CallOutput<N>> => {
  const result = (await core.dispatch(name, input)) as Result<CallOutput<N>>;
  if (!result.ok) {
    throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
  }
  return result.value;
};

let lastStatus = '';
core.events.subscribe((event, payload) => {
  if (event !== 'sync.status') {
    return;
  }
  const status = payload as EventPayload<'sync.status'>;
  const text = `STATUS ${status.pending} ${status.syncing}`;
  if (text !== lastStatus) {
    lastStatus = text;
    line(text);
  }
});

const login = async (): Promise<void> => {
  const result = await call('session.login', { pin: config.pin });
  if (!result.ok) {
    throw new Error(`login failed: ${result.code}`);
  }
  // The cache opens on the session's change event; wait until the workspace answers.
  for (let i = 0; i < 250; i += 1) {
    const status = await call('sync.status', {});
    if (!status.needsLogin) {
      line(`READY ${JSON.stringify(status)}`);
      return;
    }
    await sleep(20);
  }
  throw new Error('the offline cache did not open');
};

const saveNote = async (): Promise<void> => {
  const patientId = pick(config.patients);
  const saved = await call('journal.save', {
    resource: {
      resourceType: 'Composition',
      status: 'final',
      type: { text: 'Notat' },
      subject: { reference: `Patient/${patientId}` },
      date: '2026-11-28',
      title: `Notat ${Math.floor(random() * 1e6)}`,
      author: [{ display: 'Demo Lege' }],
    },
  });
  const change: SavedLine = { clientId: saved.clientId, kind: 'create', resourceType: saved.resourceType, resourceId: saved.resourceId };
  line(`SAVED ${JSON.stringify(change)}`);
};

const editMedication = async (): Promise<void> => {
  const medication = pick(config.medications);
  let latest: FhirResource | undefined;
  // A chart with only a local note in it answers from the cache before its first pull is in; the
  // pull runs in the background, so ask again until the medication has arrived.
  for (let i = 0; i < 250 && !latest; i += 1) {
    if (i > 0) {
      await sleep(20);
    }
    const chart = await call('chart.open', { patientId: medication.patientId });
    latest = chart.resources.find((r) => r.resourceType === 'MedicationStatement' && r.id === medication.id);
  }
  if (!latest) {
    throw new Error(`MedicationStatement/${medication.id} never arrived in the chart`);
  }
  if (config.thinkMs > 0) {
    await sleep(Math.floor(random() * config.thinkMs));
  }
  const saved = await call('journal.save', { resource: { ...latest, dosage: [{ text: `${1 + Math.floor(random() * 4)} tablett(er) kl ${Math.floor(random() * 24)}` }] } });
  const change: SavedLine = { clientId: saved.clientId, kind: 'update', resourceType: saved.resourceType, resourceId: saved.resourceId };
  line(`SAVED ${JSON.stringify(change)}`);
};

const work = async (): Promise<never> => {
  for (;;) {
    await (random() < 0.5 ? saveNote() : editMedication());
    // A short pause now and then: the push loop gets turns, so kills land mid-push as well as mid-save.
    await sleep(Math.floor(random() * 12));
  }
};

const drain = async (): Promise<void> => {
  const deadline = Date.now() + 60_000;
  let status = await call('sync.now', {});
  let rounds = 1;
  let still = 0;
  // Until all is sent, or nothing more moves (what is left waits behind a conflict or a refusal).
  while (status.pending > 0 && Date.now() < deadline && still < 30) {
    await sleep(100);
    const before = status.pending;
    status = await call('sync.now', {});
    still = status.pending === before && status.conflicts + status.failed > 0 ? still + 1 : 0;
    rounds += 1;
  }
  const tagOf = (resource: unknown): string | undefined =>
    ((resource as { meta?: { tag?: { system?: string; code?: string }[] } } | undefined)?.meta?.tag ?? []).find((tag) => tag.system === 'urn:akson:change')?.code;
  const conflictDetails = (await call('sync.conflicts', {})).map((c) => ({
    resourceType: c.resourceType,
    resourceId: c.resourceId,
    mineTag: tagOf(c.mine),
    theirsVersion: c.theirs.meta?.versionId,
    theirsTag: tagOf(c.theirs),
  }));
  const report: DrainReport = { pending: status.pending, conflicts: status.conflicts, failed: status.failed, lastError: status.lastError, rounds, conflictDetails };
  line(`DRAINED ${JSON.stringify(report)}`);
  await core.dispose();
};

const main = async (): Promise<void> => {
  await login();
  if (config.mode === 'drain') {
    await drain();
    process.exit(0);
  }
  await work();
};

main().catch((error: unknown) => {
  process.stderr.write(`crash child failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(2);
});
