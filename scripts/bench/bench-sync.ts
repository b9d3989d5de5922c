import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { FileKeyStore, openCache, type FhirResource, type OfflineCache } from '../../electron/core/cache';
import { KEY_FILE_NAME, readKeyFile } from '../../electron/core/cache/cache-key-file';
import { DATABASE_FILE_NAME } from '../../electron/core/cache/cache-database';
import { createLogger } from '../../electron/core/logging/logger';
import { JournalClient } from '../../electron/core/sync/journal-client';
import { cacheRootFor } from '../../electron/core/sync/offline-workspace';
import { SyncEngine } from '../../electron/core/sync/sync-engine';
import { openPolicy } from '../../server/pipeline/access-policy';
import { databaseAuditWriter } from '../../server/pipeline/audit-writer';
import { createJournal } from '../../server/pipeline/journal';
import { systemPrincipal } from '../../server/pipeline/principal';
import { seedJournal } from '../../server/seed/seed-journal';
import { generatePopulation } from '../../server/seed/population';
import { removeDir, startSyncJournal, startWorkstation } from '../integration/sync-harness';
import { postgresDeltaPush } from './bench-sync-postgres';
import { syntheticPatients } from './synthetic-patients';
import { ms, runPool, sleep, summarise, type Latency } from './timing';

/**
 * `npm run bench:sync`: the workstation's offline cache and sync engine against the real journal
 * server (PGlite on disk, demo PKI, TEST card login through the contract), on this machine:
 *
 * 1. chart.open from the cache for the largest 10+ year history, against bare SQLite reads;
 * 2. patients.search as-you-type over 100,000 cached patients (cache and contract);
 * 3. initial fill of a 1,500-patient list through SyncEngine.pullPatient, against plain fetch +
 *    bare inserts into an encrypted SQLite table;
 * 4. delta sync of 1,000 changes: local changes pushed (drain), server changes pulled with _since;
 * 5. durable outbox write (journal.save through the contract, synchronous=FULL).
 */
const NOW = new Date('2026-11-28T12:00:00Z');
const LIST_PATIENTS = Number(process.env.BENCH_SYNC_PATIENTS ?? 1_500);
const SEARCH_PATIENTS = Number(process.env.BENCH_SYNC_SEARCH_PATIENTS ?? 100_000);
const YEAR_MS = 365.25 * 24 * 3600 * 1000;

const progress = (line: string): void => {
  process.stdout.write(`… ${line}\n`);
};

interface SeededPatient {
  id: string;
  resources: number;
  years: number;
}

/** The same deterministic population seedJournal writes, to know each patient's history length. */
const describePopulation = (patients: number): SeededPatient[] => {
  const described: SeededPatient[] = [];
  let first = true;
  for (const batch of generatePopulation({ patients, seed: 42, now: NOW })) {
    if (first) {
      first = false;
      continue;
    }
    const patient = batch.find((r) => r.resourceType === 'Patient');
    const starts = batch
      .filter((r) => r.resourceType === 'Encounter')
      .map((r) => Date.parse((r as { period?: { start?: string } }).period?.start ?? ''))
      .filter((t) => !Number.isNaN(t));
    described.push({ id: patient?.id ?? '', resources: batch.length, years: starts.length ? (NOW.getTime() - Math.min(...starts)) / YEAR_MS : 0 });
  }
  return described;
};

/** The raw limit of a fill: plain fetch of $everything, bare inserts into a plain encrypted table. */
const rawFill = async (fhirBase: string, token: () => string | undefined, ids: readonly string[], file: string, concurrency: number) => {
  const db = new Database(file);
  db.pragma("cipher='sqlcipher'");
  db.pragma(`key="x'${'ab'.repeat(32)}'"`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE resource (type TEXT NOT NULL, id TEXT NOT NULL, patient_id TEXT, json TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO resource (type, id, patient_id, json) VALUES (?, ?, ?, ?)');
  const write = db.transaction((patientId: string, resources: FhirResource[]) => {
    for (const resource of resources) {
      insert.run(resource.resourceType, resource.id ?? '', patientId, JSON.stringify(resource));
    }
  });
  let bytes = 0;
  let rows = 0;
  const started = performance.now();
  await runPool(ids.length, concurrency, async (i) => {
    const id = ids[i] ?? '';
    const response = await fetch(`${fhirBase}/Patient/${id}/$everything`, { headers: { accept: 'application/fhir+json', authorization: `Bearer ${token() ?? ''}` } });
    const text = await response.text();
    if (!response.ok) {
      throw new Error(`raw $everything ${response.status}: ${text.slice(0, 200)}`);
    }
    bytes += text.length;
    const resources = ((JSON.parse(text) as { entry?: { resource: FhirResource }[] }).entry ?? []).map((e) => e.resource);
    rows += resources.length;
    write(id, resources);
  });
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return { seconds, bytes, rows };
};

/** Fills a cache through SyncEngine.pullPatient (what the workstation does), `concurrency` in flight. */
const engineFill = async (engine: SyncEngine, ids: readonly string[], concurrency: number) => {
  let written = 0;
  const started = performance.now();
  await runPool(ids.length, concurrency, async (i) => {
    const result = await engine.pullPatient(ids[i] ?? '');
    if (!result.ok) {
      throw new Error(`pullPatient failed: ${result.reason}`);
    }
    written += result.written;
  });
  return { seconds: (performance.now() - started) / 1000, written };
};

const main = async (): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'akson-bench-sync-'));
  const lines: string[] = [];
  let closeJournal: (() => Promise<void>) | undefined;
  let closeWorkstation: (() => Promise<void>) | undefined;
  const opened: OfflineCache[] = [];
  try {
    const log = createLogger({ name: 'bench', level: 'silent' });
    const journal = await startSyncJournal(dir, { dataDir: join(dir, 'pglite') });
    closeJournal = () => journal.close();
    const fhirBase = `${journal.url}/fhir`;

    // ---- seed the journal ------------------------------------------------------------------
    progress(`seeding ${LIST_PATIENTS} patients with full history into PGlite (on disk) …`);
    const session = createJournal({ store: journal.store, policy: openPolicy, audit: databaseAuditWriter(journal.database) }).as(systemPrincipal('bench'));
    const seeded = await seedJournal(session, { patients: LIST_PATIENTS, seed: 42, now: NOW });
    const population = describePopulation(LIST_PATIENTS);
    const listIds = population.map((p) => p.id);
    progress(`seeded ${seeded.resources} resources in ${(seeded.milliseconds / 1000).toFixed(1)} s`);

    // ---- the workstation: TEST card login through the contract ------------------------------
    const ws = await startWorkstation(journal.url, journal.pki, join(dir, 'ws'));
    closeWorkstation = () => ws.close();
    const card = ws.core.session.activeCard();
    if (!card) {
      throw new Error('no active card after login');
    }
    const token = () => ws.core.session.token();
    const client = new JournalClient({ fhirBase, token });
    const keyStore = new FileKeyStore(ws.dataDir);
    // A second connection to the workstation's own cache file, for what the contract does not expose
    // (putResources for 100k patients, the engine's pull and push on their own).
    const side = openCache({ root: cacheRootFor(ws.dataDir, journal.url), clinicianHpr: journal.pki.demoCard.hpr, card, keyStore, log }).cache;
    opened.push(side);
    // No pull window overlap for the fill engine (a first pull has no cursor anyway).
    const engine = new SyncEngine({ cache: side, client, log });

    // ---- 3. initial fill of the list ---------------------------------------------------------
    progress(`initial fill: ${listIds.length} patients through SyncEngine.pullPatient (concurrency 1) …`);
    const fill = await engineFill(engine, listIds, 1);
    progress(`filled ${fill.written} resources in ${fill.seconds.toFixed(1)} s; raw limit …`);
    const raw = await rawFill(fhirBase, token, listIds, join(dir, 'raw-1.db'), 1);
    // ---- 2. 100k patients in the cache, search ----------------------------------------------
    progress(`putting ${SEARCH_PATIENTS} synthetic patients into the cache (putResources, 2,000 a batch) …`);
    const searchFill = performance.now();
    const samples: { family: string; given: string; nationalId: string }[] = [];
    let batch: FhirResource[] = [];
    let putMs = 0;
    for (const patient of syntheticPatients(SEARCH_PATIENTS, 4242, NOW)) {
      batch.push(patient.resource);
      if (samples.length < 200 && batch.length % 10 === 0) {
        samples.push({ family: patient.family, given: patient.given, nationalId: patient.nationalId });
      }
      if (batch.length >= 2_000) {
        const t = performance.now();
        side.putResources(batch);
        putMs += performance.now() - t;
        batch = [];
      }
    }
    const lastPut = performance.now();
    side.putResources(batch);
    putMs += performance.now() - lastPut;
    const searchFillSeconds = (performance.now() - searchFill) / 1000;
    const queries: { kind: string; query: string }[] = [];
    const bucket = (n: number): string => (n >= 3 ? '3+' : String(n));
    for (const sample of samples) {
      for (let n = 1; n <= Math.min(8, sample.family.length); n += 1) {
        queries.push({ kind: `name, ${bucket(n)} chars`, query: sample.family.slice(0, n) });
      }
      for (let n = 1; n <= Math.min(3, sample.family.length); n += 1) {
        queries.push({ kind: 'given + name prefix', query: `${sample.given} ${sample.family.slice(0, n)}` });
      }
      for (let n = 1; n <= sample.nationalId.length; n += 1) {
        queries.push({ kind: `national id, ${bucket(n)} digits`, query: sample.nationalId.slice(0, n) });
      }
    }
    progress(`searching: ${queries.length} as-you-type queries from ${samples.length} names …`);
    const searchCache: number[] = [];
    const searchByKind = new Map<string, number[]>();
    let worst = { ms: 0, query: '' };
    for (const pass of [0, 1]) {
      for (const { kind, query } of pass === 0 ? queries.slice(0, 400) : queries) {
        const t = performance.now();
        side.searchPatients(query, 20);
        const elapsed = performance.now() - t;
        if (pass === 1) {
          searchCache.push(elapsed);
          searchByKind.set(kind, [...(searchByKind.get(kind) ?? []), elapsed]);
          if (elapsed > worst.ms) {
            worst = { ms: elapsed, query };
          }
        }
      }
    }
    const searchContract: number[] = [];
    for (const { query } of queries) {
      const t = performance.now();
      const result = await ws.core.dispatch('patients.search', { query, limit: 20 });
      searchContract.push(performance.now() - t);
      if (!result.ok) {
        throw new Error(`patients.search: ${result.error.code}`);
      }
    }

    // ---- 1. chart open ----------------------------------------------------------------------
    const tenYear = population.filter((p) => p.years >= 10).sort((a, b) => b.resources - a.resources)[0];
    if (!tenYear) {
      throw new Error('no patient with 10+ years of history');
    }
    const chartRows = side.patientChart(tenYear.id);
    const chartBytes = chartRows.reduce((sum, r) => sum + JSON.stringify(r).length, 0);
    progress(`chart.open of a ${tenYear.years.toFixed(1)}-year history (${chartRows.length} resources, ${(chartBytes / 1024).toFixed(0)} kB) …`);
    // The bare baseline: the same statement on the same encrypted file, its own connection.
    const key = readKeyFile(join(side.folder, KEY_FILE_NAME), card, keyStore);
    const bare = new Database(join(side.folder, DATABASE_FILE_NAME), { readonly: true });
    bare.pragma("cipher='sqlcipher'");
    bare.pragma(`key="x'${key.toString('hex')}'"`);
    key.fill(0);
    const bareStatement = bare.prepare<[string], { json: string }>('SELECT json FROM resource WHERE patient_id = ?');
    const time = (n: number, work: () => void): number[] => {
      const out: number[] = [];
      for (let i = 0; i < n; i += 1) {
        const t = performance.now();
        work();
        out.push(performance.now() - t);
      }
      return out;
    };
    time(50, () => bareStatement.all(tenYear.id));
    const bareRows = time(200, () => bareStatement.all(tenYear.id));
    const bareParsed = time(200, () => bareStatement.all(tenYear.id).map((row) => JSON.parse(row.json) as unknown));
    const cacheChart = time(200, () => side.patientChart(tenYear.id));
    bare.close();
    const openChart = async (): Promise<number> => {
      const t = performance.now();
      const result = await ws.core.dispatch('chart.open', { patientId: tenYear.id });
      const elapsed = performance.now() - t;
      if (!result.ok || !(result.value as { fromCache: boolean }).fromCache) {
        throw new Error('chart.open did not answer from the cache');
      }
      return elapsed;
    };
    // Each open starts a background pull ($everything?_since) against the running journal: settled
    // (a pause after each open lets it finish) and back to back (pulls overlap the next opens).
    for (let i = 0; i < 20; i += 1) {
      await openChart();
      await sleep(30);
    }
    const settled: number[] = [];
    for (let i = 0; i < 200; i += 1) {
      settled.push(await openChart());
      await sleep(30);
    }
    const backToBack: number[] = [];
    for (let i = 0; i < 200; i += 1) {
      backToBack.push(await openChart());
    }
    await sleep(300);

    // ---- 4. delta sync ------------------------------------------------------------------------
    // Local: 1,000 updates of cached Observations, queued (engine not started), then pushed.
    const observations = listIds
      .flatMap((id) => side.patientChart(id).filter((r) => r.resourceType === 'Observation'))
      .slice(0, 1_000);
    progress(`delta push: queueing ${observations.length} local updates, then drain …`);
    // The push's client times its HTTP round trips, to split the journal's share from the engine's.
    let pushHttpMs = 0;
    let pushRequests = 0;
    const timedFetch: typeof fetch = async (input, init) => {
      const t = performance.now();
      const response = await fetch(input, init);
      const body = await response.arrayBuffer();
      pushHttpMs += performance.now() - t;
      pushRequests += 1;
      return new Response(body, { status: response.status, statusText: response.statusText, headers: response.headers });
    };
    const pushEngine = new SyncEngine({ cache: side, client: new JournalClient({ fhirBase, token, fetchImpl: timedFetch }), log });
    const queueTimes: number[] = [];
    for (const observation of observations) {
      const t = performance.now();
      pushEngine.save({ ...observation, status: 'amended' });
      queueTimes.push(performance.now() - t);
    }
    const pushStarted = performance.now();
    pushEngine.start();
    let pushStatus = await pushEngine.drain();
    while (pushStatus.pending > 0 && pushStatus.failed === 0 && pushStatus.conflicts === 0) {
      pushStatus = await pushEngine.drain();
    }
    const pushSeconds = (performance.now() - pushStarted) / 1000;
    await pushEngine.stop();
    if (pushStatus.pending + pushStatus.failed + pushStatus.conflicts > 0) {
      throw new Error(`push left ${JSON.stringify(pushStatus)}`);
    }

    // Server side: 1,000 changes by someone else (10 each in 100 list patients), then pulled with _since.
    const changedPatients: string[] = [];
    const { written: rewritten } = await (async () => {
      // The cursors are the server's Date header (1 s resolution): let a second pass first.
      await sleep(1_100);
      let count = 0;
      for (const id of listIds.slice(200)) {
        if (count >= 1_000) {
          break;
        }
        changedPatients.push(id);
        const targets = side.patientChart(id).filter((r) => r.resourceType !== 'Patient').slice(0, Math.min(10, 1_000 - count));
        for (const resource of targets) {
          const updated = await client.update({ ...resource, meta: { versionId: resource.meta?.versionId } }, resource.meta?.versionId ?? '');
          if (updated.kind !== 'ok') {
            throw new Error(`server-side change: ${updated.kind}`);
          }
          count += 1;
        }
      }
      return { written: count };
    })();
    // overlapMs 0: the whole journal was written seconds ago, so the default 5-minute overlap would
    // fetch whole records again; a real journal's history is older than the overlap window.
    const pullEngine = new SyncEngine({ cache: side, client, log, overlapMs: 0 });
    progress(`delta pull: ${rewritten} server changes in ${changedPatients.length} patients, pulled with _since …`);
    const changedPull = await engineFill(pullEngine, changedPatients, 1);
    const listPull = await engineFill(pullEngine, listIds, 1);

    // ---- 5. durable outbox write through the contract ------------------------------------------
    // Baselines: engine.save of a create on an engine that is not pushing (a cache of its own), and
    // a bare INSERT into an encrypted table with the same pragmas (WAL, synchronous=FULL).
    const saveRoot = join(dir, 'save');
    const saveCache = openCache({ root: saveRoot, clinicianHpr: journal.pki.demoCard.hpr, card, keyStore: new FileKeyStore(saveRoot), log }).cache;
    opened.push(saveCache);
    const idleEngine = new SyncEngine({ cache: saveCache, client, log });
    const observationFor = (i: number): FhirResource => ({
      resourceType: 'Observation',
      status: 'final',
      code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
      subject: { reference: `Patient/${listIds[0] ?? ''}` },
      effectiveDateTime: NOW.toISOString(),
      valueQuantity: { value: 60 + (i % 40), unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
    });
    const idleSaves = time(1_000, () => idleEngine.save(observationFor(0))).slice(50);
    const bareDb = new Database(join(dir, 'bare-outbox.db'));
    bareDb.pragma("cipher='sqlcipher'");
    bareDb.pragma(`key="x'${'cd'.repeat(32)}'"`);
    bareDb.pragma('journal_mode = WAL');
    bareDb.pragma('synchronous = FULL');
    bareDb.exec('CREATE TABLE outbox (seq INTEGER PRIMARY KEY, json TEXT NOT NULL)');
    const bareInsert = bareDb.prepare('INSERT INTO outbox (json) VALUES (?)');
    const bareSaves = time(1_000, () => bareInsert.run(JSON.stringify(observationFor(1)))).slice(50);
    bareDb.close();

    progress('journal.save through the contract: 1,000 new Observations (the workstation engine pushes meanwhile) …');
    const saveTimes: number[] = [];
    for (let i = 0; i < 1_050; i += 1) {
      const resource = observationFor(i);
      const t = performance.now();
      const result = await ws.core.dispatch('journal.save', { resource });
      const elapsed = performance.now() - t;
      if (!result.ok) {
        throw new Error(`journal.save: ${result.error.code} ${result.error.message}`);
      }
      if (i >= 50) {
        saveTimes.push(elapsed);
      }
    }
    const syncNow = await ws.core.dispatch('sync.now', {});
    const afterSaves = syncNow.ok ? (syncNow.value as { pending: number }).pending : -1;

    progress('delta push once more, with the journal on PostgreSQL …');
    const postgresPush = await postgresDeltaPush(log);

    // ---- report ------------------------------------------------------------------------------
    const l = (s: Latency, goal = ''): string => `p50 ${ms(s.p50)}  p95 ${ms(s.p95)}  max ${ms(s.max)}${goal}  (n=${s.count})`;
    const settledS = summarise(settled);
    const bareS = summarise(bareRows);
    const cacheSearch = summarise(searchCache);
    const contractSearch = summarise(searchContract);
    const saves = summarise(saveTimes);
    const queued = summarise(queueTimes);
    const firstQueued = summarise(queueTimes.slice(0, 100));
    const lastQueued = summarise(queueTimes.slice(-100));
    const perKind = [...searchByKind.entries()].map(([kind, values]) => `     ${kind.padEnd(22)} ${l(summarise(values))}`);
    lines.push(
      `# Workstation cache and sync figures (journal on PGlite on disk, loopback, TEST card; ${seeded.resources} resources seeded for ${LIST_PATIENTS} patients in ${(seeded.milliseconds / 1000).toFixed(1)} s)`,
      '',
      `1. chart.open from the cache, ${tenYear.years.toFixed(1)}-year history, ${chartRows.length} resources, ${(chartBytes / 1024).toFixed(0)} kB, cache of ${LIST_PATIENTS} charts + ${SEARCH_PATIENTS} patients:`,
      `   contract, pull settled between opens:    ${l(settledS, ' (goal p95 < 30 ms)')}`,
      `   contract, back to back (pulls overlap):  ${l(summarise(backToBack))}`,
      `   cache.patientChart (query + JSON.parse): ${l(summarise(cacheChart))}`,
      `   bare SELECT json … patient_id = ? (raw better-sqlite3, same encrypted file, rows only): ${l(bareS)}`,
      `   bare SELECT + JSON.parse:                ${l(summarise(bareParsed))}`,
      `   ratio contract / bare SELECT: p50 ${(settledS.p50 / bareS.p50).toFixed(1)}x  p95 ${(settledS.p95 / bareS.p95).toFixed(1)}x`,
      `2. patient search, ${SEARCH_PATIENTS} synthetic patients generated and put in ${searchFillSeconds.toFixed(1)} s (putResources alone ${(putMs / 1000).toFixed(1)} s, ${Math.round(SEARCH_PATIENTS / (putMs / 1000))}/s), ${queries.length} as-you-type queries, limit 20:`,
      `   cache.searchPatients:                    ${l(cacheSearch, ' (goal p95 < 10 ms)')}`,
      ...perKind,
      `   slowest query: "${worst.query}" ${ms(worst.ms)}`,
      `   contract patients.search:                ${l(contractSearch, ' (goal p95 < 10 ms)')}`,
      `3. initial fill of ${listIds.length} patients, full history (${fill.written} resources, ${(raw.bytes / 1024 / 1024).toFixed(1)} MB of Bundles):`,
      `   SyncEngine.pullPatient, 1 at a time:     ${fill.seconds.toFixed(1)} s   raw fetch + bare inserts: ${raw.seconds.toFixed(1)} s   ratio ${(fill.seconds / raw.seconds).toFixed(2)}x`,
      `4. delta sync of 1,000 changes (goal < 2 s):`,
      `   push: ${observations.length} queued updates, engine.start + drain to outbox empty: ${pushSeconds.toFixed(2)} s (${(observations.length / pushSeconds).toFixed(0)}/s)`,
      `     of which HTTP round trips (PUT to the journal, answer read): ${(pushHttpMs / 1000).toFixed(2)} s for ${pushRequests} requests (${ms(pushHttpMs / Math.max(1, pushRequests))} each)`,
      `     queueing them (engine.save, update):   ${l(queued)}; first 100 p50 ${ms(firstQueued.p50)}, last 100 p50 ${ms(lastQueued.p50)}`,
      postgresPush,
      `   pull: ${rewritten} server changes in ${changedPatients.length} patients, pullPatient(_since) of those ${changedPatients.length}: ${changedPull.seconds.toFixed(2)} s (${changedPull.written} written)`,
      `   pull: the same found by polling all ${listIds.length} list patients with _since: ${listPull.seconds.toFixed(2)} s at 1 (${listPull.written} written)`,
      `5. durable outbox write, journal.save through the contract (synchronous=FULL, WAL): ${l(saves, ' (goal p95 < 5 ms)')}`,
      `   engine.save of a create, engine not pushing: ${l(summarise(idleSaves))}`,
      `   bare INSERT, same cipher and pragmas:     ${l(summarise(bareSaves))}`,
      `   afterwards sync.now left ${afterSaves} pending`,
      '',
    );
    process.stdout.write(`\n${lines.join('\n')}`);
  } finally {
    for (const cache of opened) {
      cache.close();
    }
    await closeWorkstation?.();
    await closeJournal?.();
    removeDir(dir);
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`sync benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
