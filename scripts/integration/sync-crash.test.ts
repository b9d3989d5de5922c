import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CrashChildConfig, DrainReport, SavedLine } from './crash-child/crash-workstation';
import { removeDir, startSyncJournal } from './sync-harness';

type Journal = Awaited<ReturnType<typeof startSyncJournal>>;

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../..');
const CLIENT_ID_SYSTEM = 'urn:akson:client-id';
const CHANGE_TAG_SYSTEM = 'urn:akson:change';
const KILLS = 55;

/** What one child run left behind: the complete lines it wrote before it died. */
interface RunResult {
  saved: SavedLine[];
  ready: boolean;
  /** The engine's last reported status before the kill (null: none reported yet). */
  atKill: { pending: number; syncing: boolean } | null;
  killed: boolean;
  /** The watchdog had to kill it: it hung (never READY, or a drain that never ended). */
  hung: boolean;
  exitCode: number | null;
  drained: DrainReport | null;
  stderr: string;
}

/** mulberry32, as in the child: the whole schedule replays from AKSON_CRASH_SEED. */
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

/**
 * A workstation core in a child process, writing notes and edits while it is killed with SIGKILL
 * at random moments; after the last restart and a sync, the journal holds exactly the changes core
 * confirmed as saved: none lost, none twice.
 */
describe('sync survives SIGKILL at random moments', () => {
  const dir = mkdtempSync(join(tmpdir(), 'akson-crash-'));
  const dataDir = join(dir, 'workstation');
  const childFile = join(dir, 'child', 'crash-workstation.mjs');
  let journal: Journal;
  const patients: string[] = [];
  const medications: { id: string; patientId: string }[] = [];
  const live = new Set<ReturnType<typeof spawn>>();

  beforeAll(async () => {
    journal = await startSyncJournal(dir);
    for (const [index, family] of ['Ødegård', 'Nilsen', 'Berg'].entries()) {
      const patient = await journal.store.db.transaction((tx) =>
        journal.store.create(tx, 'Patient', {
          resourceType: 'Patient',
          identifier: [{ system: 'urn:oid:2.16.578.1.12.4.1.4.1', value: `1552801234${index}` }],
          name: [{ family, given: ['Test'] }],
          birthDate: '1980-05-15',
        }),
      );
      patients.push(patient.id);
      const medication = await journal.store.db.transaction((tx) =>
        journal.store.create(tx, 'MedicationStatement', {
          resourceType: 'MedicationStatement',
          status: 'active',
          subject: { reference: `Patient/${patient.id}` },
          medicationCodeableConcept: { text: 'Paracet 500 mg' },
          dosage: [{ text: '1 tablett ved behov' }],
        }),
      );
      medications.push({ id: medication.id, patientId: patient.id });
    }
    // The bundle keeps packages external (native SQLite among them); a node_modules link next to it
    // lets Node resolve them from the temporary folder.
    mkdirSync(dirname(childFile), { recursive: true });
    symlinkSync(join(repoRoot, 'node_modules'), join(dirname(childFile), 'node_modules'), 'dir');
    await build({
      entryPoints: [join(here, 'crash-child', 'crash-workstation.ts')],
      outfile: childFile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      packages: 'external',
      logLevel: 'warning',
    });
  }, 60_000);

  afterAll(async () => {
    for (const child of live) {
      child.kill('SIGKILL');
    }
    await journal?.close();
    removeDir(dir);
  });

  /** One child run, killed `afterMs` after READY (or after the spawn when `early`); null: runs to its end. */
  const runChild = (config: CrashChildConfig, kill: { afterMs: number; early: boolean } | null): Promise<RunResult> =>
    new Promise((resolveRun, rejectRun) => {
      const child = spawn(process.execPath, [childFile], { env: { ...process.env, AKSON_CRASH_CHILD: JSON.stringify(config) }, stdio: ['ignore', 'pipe', 'pipe'] });
      live.add(child);
      const result: RunResult = { saved: [], ready: false, atKill: null, killed: false, hung: false, exitCode: null, drained: null, stderr: '' };
      let status: { pending: number; syncing: boolean } | null = null;
      let buffered = '';
      let timer: ReturnType<typeof setTimeout> | undefined;
      const killNow = (): void => {
        if (child.exitCode === null && child.signalCode === null) {
          result.atKill = status;
          result.killed = child.kill('SIGKILL');
        }
      };
      // A child that never gets going must not hang the test.
      const watchdog = setTimeout(() => {
        result.hung = true;
        killNow();
      }, config.mode === 'drain' ? 90_000 : 20_000);
      if (kill?.early) {
        timer = setTimeout(killNow, kill.afterMs);
      }
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => {
        buffered += chunk;
        const lines = buffered.split('\n');
        // Only complete lines count: the last piece may be a line cut off by the kill.
        buffered = lines.pop() ?? '';
        for (const text of lines) {
          const space = text.indexOf(' ');
          const [word, rest] = space < 0 ? [text, ''] : [text.slice(0, space), text.slice(space + 1)];
          if (word === 'SAVED') {
            result.saved.push(JSON.parse(rest) as SavedLine);
          } else if (word === 'STATUS') {
            const [pending, syncing] = rest.split(' ');
            status = { pending: Number(pending), syncing: syncing === 'true' };
          } else if (word === 'READY') {
            result.ready = true;
            const ready = JSON.parse(rest) as { pending: number; syncing: boolean };
            status ??= { pending: ready.pending, syncing: ready.syncing };
            if (kill && !kill.early) {
              timer = setTimeout(killNow, kill.afterMs);
            }
          } else if (word === 'DRAINED') {
            result.drained = JSON.parse(rest) as DrainReport;
          }
        }
      });
      child.stderr.setEncoding('utf8');
      child.stderr.on('data', (chunk: string) => {
        result.stderr += chunk;
      });
      child.on('error', rejectRun);
      // 'close': the process is gone and its pipes are read to the end.
      child.on('close', (code) => {
        clearTimeout(timer);
        clearTimeout(watchdog);
        live.delete(child);
        result.exitCode = code;
        resolveRun(result);
      });
    });

  it(
    `keeps every confirmed save exactly once through ${KILLS} kills, a restart and a sync`,
    async () => {
      const started = Date.now();
      const seed = Number(process.env['AKSON_CRASH_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
      const random = seeded(seed);
      // A user's pause between reading a chart and saving the edit, so edits are also made on a
      // version whose own change is sent meanwhile (that must not read as a conflict).
      const thinkMs = Number(process.env['AKSON_CRASH_THINK_MS'] ?? 40);
      const base = { thinkMs, journalUrl: journal.url, cardFolder: journal.pki.demoCard.file, pin: journal.pki.demoCard.pin, dataDir, patients, medications };
      const confirmed: SavedLine[] = [];
      const figures = { kills: 0, killsBeforeReady: 0, killsWithPending: 0, killsWhileSyncing: 0 };

      for (let run = 0; run < KILLS; run += 1) {
        // Mostly mid-work; every fifth or so from the spawn, so some land in login and cache open.
        const early = run > 0 && random() < 0.2;
        const afterMs = early ? 50 + Math.floor(random() * 700) : 50 + Math.floor(random() * 350);
        const result = await runChild({ ...base, mode: 'work', seed: Math.floor(random() * 2 ** 31) }, { afterMs, early });
        // A child that died of its own accord (not our SIGKILL) is a failure, with its reason.
        expect(result.killed, `run ${run} (seed ${seed}) ended by itself: ${result.exitCode} ${result.stderr}`).toBe(true);
        expect(result.hung, `run ${run} (seed ${seed}) hung: ${result.stderr}`).toBe(false);
        confirmed.push(...result.saved);
        figures.kills += 1;
        figures.killsBeforeReady += result.ready ? 0 : 1;
        figures.killsWithPending += (result.atKill?.pending ?? 0) > 0 ? 1 : 0;
        figures.killsWhileSyncing += result.atKill?.syncing ? 1 : 0;
      }

      const drain = await runChild({ ...base, mode: 'drain', seed }, null);
      expect(drain.exitCode, drain.stderr).toBe(0);
      expect(drain.drained, `seed ${seed}: ${JSON.stringify(drain.drained?.conflictDetails.map((c) => ({ ...c, theirsConfirmedHere: confirmed.some((saved) => saved.clientId === c.theirsTag) })))}`).toMatchObject({ pending: 0, conflicts: 0, failed: 0 });

      const creates = confirmed.filter((c) => c.kind === 'create');
      const updates = confirmed.filter((c) => c.kind === 'update');
      expect(figures.kills).toBeGreaterThanOrEqual(50);
      expect(creates.length).toBeGreaterThan(0);
      expect(updates.length).toBeGreaterThan(0);
      // The proof needs crashes while the outbox held unsent work, not only between quiet saves.
      expect(figures.killsWithPending).toBeGreaterThan(0);

      // Creates: every Composition the workstation made carries its client id; each id once, in
      // the current table and in the history (one version: a create retried is never a second note).
      const notes = await journal.database.query<{ client_id: string; n: number; versions: number }>(
        `SELECT content->'identifier'->>'value' AS client_id, count(DISTINCT id)::int AS n, count(*)::int AS versions
         FROM resource_history WHERE resource_type = 'Composition' AND content->'identifier'->>'system' = $1
         GROUP BY 1`,
        [CLIENT_ID_SYSTEM],
      );
      const noteCount = new Map(notes.rows.map((row) => [row.client_id, row]));
      expect(notes.rows.filter((row) => row.n !== 1 || row.versions !== 1), 'a note stored twice').toEqual([]);
      expect(creates.filter((c) => !noteCount.has(c.clientId)).map((c) => c.clientId), 'confirmed notes lost').toEqual([]);
      const currentNotes = await journal.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM resource WHERE resource_type = 'Composition'`);
      expect(currentNotes.rows[0]?.n).toBe(notes.rows.length);

      // Updates: each change tag in exactly one version of one MedicationStatement; every version
      // after the seed carries one (so no change went in untagged, or twice under another name).
      const tagged = await journal.database.query<{ code: string; n: number }>(
        `SELECT tag->>'code' AS code, count(*)::int AS n
         FROM resource_history h, jsonb_array_elements(h.content->'meta'->'tag') AS tag
         WHERE h.resource_type = 'MedicationStatement' AND tag->>'system' = $1
         GROUP BY 1`,
        [CHANGE_TAG_SYSTEM],
      );
      const tagCount = new Map(tagged.rows.map((row) => [row.code, row.n]));
      expect(tagged.rows.filter((row) => row.n !== 1), 'a change applied twice').toEqual([]);
      expect(updates.filter((c) => tagCount.get(c.clientId) !== 1).map((c) => c.clientId), 'confirmed edits lost').toEqual([]);
      const versions = await journal.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM resource_history WHERE resource_type = 'MedicationStatement' AND version_id > 1`);
      expect(versions.rows[0]?.n).toBe(tagged.rows.length);

      // Retries of changes the journal had taken when the kill came before the workstation heard
      // so: a create found by its client id (200, not 201), an update whose If-Match was already used (412).
      const confirmedIds = new Set(confirmed.map((c) => c.clientId));
      const audit = await journal.database.query<{ interaction: string; outcome: number; n: number }>(
        `SELECT interaction, outcome, count(*)::int AS n FROM audit_log WHERE interaction IN ('create', 'update') AND resource_type IN ('Composition', 'MedicationStatement') GROUP BY 1, 2`,
      );
      const audited = (interaction: string, outcome: number): number => audit.rows.find((row) => row.interaction === interaction && row.outcome === outcome)?.n ?? 0;
      const answersLost = { creates: audited('create', 200), updates: audited('update', 412) };
      // Kills landed between the journal's commit and the outbox update, and the retries were recognised.
      expect(answersLost.creates + answersLost.updates).toBeGreaterThan(0);
      const unconfirmed = notes.rows.filter((row) => !confirmedIds.has(row.client_id)).length + tagged.rows.filter((row) => !confirmedIds.has(row.code)).length;
      // The child saves one change at a time: a kill can cut off at most one confirmation.
      expect(unconfirmed).toBeLessThanOrEqual(figures.kills);

      // The figures, for the log of the run that proved it.
      process.stdout.write(
        `sync crash test (seed ${seed}): ${figures.kills} kills (${figures.killsWithPending} with unsent changes, ${figures.killsWhileSyncing} mid-push, ` +
          `${figures.killsBeforeReady} before login finished); confirmed ${creates.length} notes and ${updates.length} edits; ` +
          `the journal holds ${notes.rows.length} notes and ${tagged.rows.length} edits (` +
          `${unconfirmed} saved durably but killed before confirming); answers lost to a kill and recovered: ${answersLost.creates} notes, ${answersLost.updates} edits; ` +
          `${((Date.now() - started) / 1000).toFixed(1)} s\n`,
      );
    },
    180_000,
  );
});
