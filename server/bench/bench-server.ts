import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Database } from '../db/database';
import { migrate } from '../db/migration';
import { migrations } from '../db/migrations';
import { openPgliteDatabase } from '../db/pglite-database';
import { openPostgresDatabase } from '../db/postgres-database';
import { createJournalServer } from '../journal-server';
import { openPolicy } from '../pipeline/access-policy';
import { databaseAuditWriter } from '../pipeline/audit-writer';
import { createJournal } from '../pipeline/journal';
import { systemPrincipal } from '../pipeline/principal';
import { generatePopulation } from '../seed/population';
import { ResourceStore } from '../store/resource-store';
import { startTestPostgres } from '../test-support/test-postgres';
import { runConcurrently, summarise, type Latency } from './latency';

/**
 * `npm run bench:server -- [--patients 100000] [--history-patients 300] [--backend both|pglite|postgres]`
 *
 * Seeds the journal with N synthetic patients (all searchable by name and national id; the first
 * H with their full 0-15 years of history, the rest with demographics only, so the run fits a
 * 2-core machine), then measures through HTTP on loopback: read, name-prefix search (one word,
 * and two AND-ed as the workstation sends them), $everything for patients with 10+ years of
 * history, create and update throughput, and history paging.
 */
const HEADERS = { 'content-type': 'application/fhir+json', accept: 'application/fhir+json' };
const NOW = new Date('2026-11-28T12:00:00Z');

interface Figures {
  backend: string;
  seed: { resources: number; seconds: number };
  read: Latency;
  nameSearch: Latency;
  twoPartNameSearch: Latency;
  everything: Latency & { resourcesPerPatient: number };
  createPerSecond: number;
  updatePerSecond: number;
  history: { pages: number; entries: number; perPage: Latency };
}

const getJson = async (url: string): Promise<Record<string, unknown>> => {
  const response = await fetch(url, { headers: HEADERS });
  if (!response.ok) {
    throw new Error(`${url} -> ${response.status}: ${(await response.text()).slice(0, 200)}`);
  }
  return (await response.json()) as Record<string, unknown>;
};

const seed = async (database: Database, patients: number, withHistory: number) => {
  await migrate(database, migrations);
  const session = createJournal({ store: new ResourceStore(database), policy: openPolicy, audit: databaseAuditWriter(database) }).as(
    systemPrincipal('bench'),
  );
  const started = performance.now();
  const names: string[] = [];
  const givenNames: string[] = [];
  const patientIds: string[] = [];
  const historyIds: { id: string; years: number }[] = [];
  let pending: unknown[] = [];
  let resources = 0;
  let index = -1;
  for (const batch of generatePopulation({ patients, seed: 42, now: NOW })) {
    const patient = batch.find((r) => r.resourceType === 'Patient') as { id: string; name?: { family?: string; given?: string[] }[] } | undefined;
    if (index >= 0 && patient) {
      patientIds.push(patient.id);
      names.push(patient.name?.[0]?.family ?? '');
      givenNames.push(patient.name?.[0]?.given?.[0] ?? '');
      if (index < withHistory) {
        const encounterDates = batch
          .filter((r) => r.resourceType === 'Encounter')
          .map((r) => Date.parse((r as { period?: { start?: string } }).period?.start ?? ''))
          .filter((t) => !Number.isNaN(t));
        const years = encounterDates.length ? (NOW.getTime() - Math.min(...encounterDates)) / (365.25 * 24 * 3600 * 1000) : 0;
        historyIds.push({ id: patient.id, years });
      }
    }
    pending.push(...(index < withHistory ? batch : batch.filter((r) => r.resourceType === 'Patient')));
    index += 1;
    if (pending.length >= 5_000) {
      resources += await session.importResources(pending);
      pending = [];
    }
  }
  resources += await session.importResources(pending);
  return { resources, seconds: (performance.now() - started) / 1000, names, givenNames, patientIds, historyIds };
};

const measure = async (backend: string, database: Database, patients: number, withHistory: number): Promise<Figures> => {
  process.stdout.write(`[${backend}] seeding ${patients} patients (${withHistory} with full history) …\n`);
  const seeded = await seed(database, patients, withHistory);
  process.stdout.write(`[${backend}] seeded ${seeded.resources} resources in ${seeded.seconds.toFixed(1)} s\n`);
  const { app, baseUrl } = await createJournalServer({ database, version: '0.1.0' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = baseUrl();
  const pick = <T>(list: readonly T[], i: number): T => list[(i * 7919) % list.length] as T;

  // Warm-up, so the figures are the steady state a clinician meets after start-up.
  await runConcurrently(200, 1, async (i) => {
    await getJson(`${base}/Patient/${pick(seeded.patientIds, i)}`);
  });

  const read = await runConcurrently(2_000, 1, async (i) => {
    await getJson(`${base}/Patient/${pick(seeded.patientIds, i + 13)}`);
  });
  const search = await runConcurrently(1_000, 1, async (i) => {
    const prefix = pick(seeded.names, i + 31).slice(0, 3);
    await getJson(`${base}/Patient?name=${encodeURIComponent(prefix)}&_count=20`);
  });
  // As the workstation asks for "kari nord": one name parameter per typed word, AND-ed.
  const twoPartSearch = await runConcurrently(1_000, 1, async (i) => {
    const given = pick(seeded.givenNames, i + 57).slice(0, 3);
    const family = pick(seeded.names, i + 57).slice(0, 3);
    await getJson(`${base}/Patient?name=${encodeURIComponent(given)}&name=${encodeURIComponent(family)}&_count=20`);
  });
  const longHistories = seeded.historyIds.filter((h) => h.years >= 10);
  let everythingResources = 0;
  const everything = await runConcurrently(Math.min(300, longHistories.length * 3), 1, async (i) => {
    const bundle = await getJson(`${base}/Patient/${pick(longHistories, i).id}/$everything`);
    everythingResources += (bundle.entry as unknown[]).length;
  });
  const since = new Date();
  const created: string[] = [];
  const creates = await runConcurrently(2_000, 8, async (i) => {
    const response = await fetch(`${base}/Observation`, {
      method: 'POST',
      headers: HEADERS,
      body: JSON.stringify({
        resourceType: 'Observation',
        status: 'final',
        code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
        subject: { reference: `Patient/${pick(seeded.patientIds, i)}` },
        effectiveDateTime: new Date().toISOString(),
        valueQuantity: { value: 60 + (i % 40), unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' },
      }),
    });
    created.push(((await response.json()) as { id: string }).id);
  });
  const updates = await runConcurrently(1_000, 8, async (i) => {
    const id = created[i] ?? '';
    const response = await fetch(`${base}/Observation/${id}`, {
      method: 'PUT',
      headers: { ...HEADERS, 'if-match': 'W/"1"' },
      body: JSON.stringify({ resourceType: 'Observation', id, status: 'amended', code: { text: 'puls' }, subject: { reference: `Patient/${pick(seeded.patientIds, i)}` } }),
    });
    if (response.status !== 200) {
      throw new Error(`update ${id} -> ${response.status}`);
    }
    await response.arrayBuffer();
  });
  const pageTimes: number[] = [];
  let entries = 0;
  let next: string | undefined = `${base}/_history?_since=${encodeURIComponent(since.toISOString())}&_count=200`;
  while (next) {
    const t = performance.now();
    const page = await getJson(next);
    pageTimes.push(performance.now() - t);
    entries += (page.entry as unknown[]).length;
    next = (page.link as { relation: string; url: string }[]).find((l) => l.relation === 'next')?.url;
  }
  await app.close();
  return {
    backend,
    seed: { resources: seeded.resources, seconds: seeded.seconds },
    read: summarise(read.samples),
    nameSearch: summarise(search.samples),
    twoPartNameSearch: summarise(twoPartSearch.samples),
    everything: { ...summarise(everything.samples), resourcesPerPatient: everythingResources / Math.max(1, everything.samples.length) },
    createPerSecond: (creates.samples.length / creates.wallMs) * 1000,
    updatePerSecond: (updates.samples.length / updates.wallMs) * 1000,
    history: { pages: pageTimes.length, entries, perPage: summarise(pageTimes) },
  };
};

const ms = (value: number): string => `${value.toFixed(1)} ms`;

const report = (figures: Figures): string =>
  [
    `## ${figures.backend}`,
    `seed: ${figures.seed.resources} resources in ${figures.seed.seconds.toFixed(1)} s`,
    `read Patient/{id}:            p50 ${ms(figures.read.p50)}  p99 ${ms(figures.read.p99)}  (n=${figures.read.count})`,
    `name-prefix search (_count=20): p50 ${ms(figures.nameSearch.p50)}  p99 ${ms(figures.nameSearch.p99)}  (goal p99 < 50 ms)`,
    `two-part name search (given & family prefix): p50 ${ms(figures.twoPartNameSearch.p50)}  p99 ${ms(figures.twoPartNameSearch.p99)}  (goal p99 < 50 ms)`,
    `$everything, 10+ years:         p50 ${ms(figures.everything.p50)}  p99 ${ms(figures.everything.p99)}  (goal p99 < 150 ms; ${figures.everything.resourcesPerPatient.toFixed(0)} resources each, n=${figures.everything.count})`,
    `create (8 in flight):           ${figures.createPerSecond.toFixed(0)}/s  (goal > 300/s on PostgreSQL)`,
    `update with If-Match (8):       ${figures.updatePerSecond.toFixed(0)}/s`,
    `history _since, _count=200:     ${figures.history.pages} pages, ${figures.history.entries} versions, p50 ${ms(figures.history.perPage.p50)} per page`,
  ].join('\n');

const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: {
      patients: { type: 'string', default: '100000' },
      'history-patients': { type: 'string', default: '300' },
      backend: { type: 'string', default: 'both' },
    },
  });
  const patients = Number(values.patients);
  const withHistory = Math.min(patients, Number(values['history-patients']));
  const backends = values.backend === 'both' ? ['pglite', 'postgres'] : [values.backend];
  const results: string[] = [];
  for (const backend of backends) {
    if (backend === 'pglite') {
      const dir = mkdtempSync(join(tmpdir(), 'akson-bench-'));
      try {
        results.push(report(await measure('PGlite (embedded, data folder on disk)', await openPgliteDatabase(dir), patients, withHistory)));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    } else if (backend === 'postgres') {
      const postgres = await startTestPostgres({ durable: true });
      try {
        results.push(report(await measure('PostgreSQL 15 (local, fsync on)', await openPostgresDatabase(postgres.url, { max: 10 }), patients, withHistory)));
      } finally {
        postgres.stop();
      }
    } else {
      throw new Error(`--backend must be both, pglite or postgres, not ${String(backend)}`);
    }
    process.stdout.write(`\n${results.at(-1) ?? ''}\n\n`);
  }
  process.stdout.write(`# Journal API benchmark: ${patients} patients, ${withHistory} with full history\n\n${results.join('\n\n')}\n`);
};

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
