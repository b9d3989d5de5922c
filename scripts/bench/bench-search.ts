import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileKeyStore, openCache, type FhirResource } from '../../electron/core/cache';
import { createLogger } from '../../electron/core/logging/logger';
import { cacheRootFor } from '../../electron/core/sync/offline-workspace';
import { parsePatientQuery } from '../../shared/patient-search/parse-patient-query';
import { removeDir, startSyncJournal, startWorkstation } from '../integration/sync-harness';
import { syntheticPatients } from './synthetic-patients';
import { ms, summarise, type Latency } from './timing';

/**
 * `npm run bench:search`: patients.search over 100,000 cached patients (synthetic, the seed's own
 * draws), as typed: name prefixes (family 1-8 letters), given + family prefix in either order,
 * national ids (growing prefixes, then whole, with and without the space), birth dates in three
 * spellings. Measured on the cache (parse + FTS5 + JSON.parse) and through the contract (scope
 * cache). Just the search part of bench:sync, quick enough to run after a change to search.
 */
const NOW = new Date('2026-11-28T12:00:00Z');
const PATIENTS = Number(process.env.BENCH_SEARCH_PATIENTS ?? 100_000);

const main = async (): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'akson-bench-search-'));
  const log = createLogger({ name: 'bench', level: 'silent' });
  const journal = await startSyncJournal(dir, { dataDir: join(dir, 'pglite') });
  const ws = await startWorkstation(journal.url, journal.pki, join(dir, 'ws'));
  const card = ws.core.session.activeCard();
  if (!card) {
    throw new Error('no active card after login');
  }
  const side = openCache({ root: cacheRootFor(ws.dataDir, journal.url), clinicianHpr: journal.pki.demoCard.hpr, card, keyStore: new FileKeyStore(ws.dataDir), log }).cache;
  try {
    const samples: { family: string; given: string; nationalId: string; birthDate: string }[] = [];
    let batch: FhirResource[] = [];
    const fillStarted = performance.now();
    for (const patient of syntheticPatients(PATIENTS, 4242, NOW)) {
      batch.push(patient.resource);
      if (samples.length < 200 && batch.length % 10 === 0) {
        samples.push({ family: patient.family, given: patient.given, nationalId: patient.nationalId, birthDate: String(patient.resource['birthDate']) });
      }
      if (batch.length >= 2_000) {
        side.putResources(batch);
        batch = [];
      }
    }
    side.putResources(batch);
    const fillSeconds = (performance.now() - fillStarted) / 1000;

    const queries: { kind: string; query: string }[] = [];
    for (const { family, given, nationalId, birthDate } of samples) {
      for (let n = 1; n <= Math.min(8, family.length); n += 1) {
        queries.push({ kind: n >= 3 ? 'family, 3+ letters' : `family, ${n} letter(s)`, query: family.slice(0, n) });
      }
      for (let n = 1; n <= Math.min(3, family.length); n += 1) {
        queries.push({ kind: 'given + family prefix', query: `${given} ${family.slice(0, n)}` });
        queries.push({ kind: 'family prefix + given', query: `${family.slice(0, n)} ${given}` });
      }
      for (let n = 1; n <= 10; n += 1) {
        queries.push({ kind: 'national id, as typed', query: nationalId.slice(0, n) });
      }
      queries.push({ kind: 'national id, whole', query: nationalId });
      queries.push({ kind: 'national id, whole', query: `${nationalId.slice(0, 6)} ${nationalId.slice(6)}` });
      const [y = '', m = '', d = ''] = birthDate.split('-');
      for (const typed of [`${d}.${m}.${y}`, `${d}${m}${y.slice(2)}`, birthDate]) {
        queries.push({ kind: 'birth date', query: typed });
      }
    }
    const byKind = new Map<string, number[]>();
    const cacheTimes: number[] = [];
    let found = 0;
    let worst = { ms: 0, kind: '' };
    for (const pass of [0, 1]) {
      for (const { kind, query } of pass === 0 ? queries.slice(0, 500) : queries) {
        const t = performance.now();
        // What the workspace does per keystroke: parse, then the cache.
        const hits = side.searchPatients(parsePatientQuery(query, NOW), 20);
        const elapsed = performance.now() - t;
        if (pass === 1) {
          cacheTimes.push(elapsed);
          byKind.set(kind, [...(byKind.get(kind) ?? []), elapsed]);
          found += hits.length > 0 ? 1 : 0;
          if (elapsed > worst.ms) {
            worst = { ms: elapsed, kind };
          }
        }
      }
    }
    const contractTimes: number[] = [];
    for (const { query } of queries) {
      const t = performance.now();
      const result = await ws.core.dispatch('patients.search', { query, limit: 20 });
      contractTimes.push(performance.now() - t);
      if (!result.ok) {
        throw new Error(`patients.search: ${result.error.code}`);
      }
    }
    const l = (s: Latency): string => `p50 ${ms(s.p50)}  p95 ${ms(s.p95)}  max ${ms(s.max)}  (n=${s.count})`;
    process.stdout.write(
      [
        `# patients.search over ${PATIENTS} cached patients (filled in ${fillSeconds.toFixed(1)} s), ${queries.length} queries, limit 20; ${found} of them found someone`,
        `cache (parse + FTS5 + JSON.parse): ${l(summarise(cacheTimes))}`,
        ...[...byKind.entries()].map(([kind, values]) => `  ${kind.padEnd(24)} ${l(summarise(values))}`),
        `  slowest: ${ms(worst.ms)} (${worst.kind})`,
        `contract patients.search (scope cache, dispatcher validation included): ${l(summarise(contractTimes))}`,
        '',
      ].join('\n'),
    );
  } finally {
    side.close();
    await ws.close();
    await journal.close();
    removeDir(dir);
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`search benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
