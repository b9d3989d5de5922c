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
import type { FastifyRequest } from 'fastify';
import { createNeedPolicy } from '../access/need-policy';
import { openPolicy } from '../pipeline/access-policy';
import { ROLE_CODES } from '../directory/directory-rules';
import { anonymous, type Principal } from '../pipeline/principal';
import { databaseAuditWriter } from '../pipeline/audit-writer';
import { createJournal } from '../pipeline/journal';
import { systemPrincipal } from '../pipeline/principal';
import { generatePopulation } from '../seed/population';
import { ResourceStore } from '../store/resource-store';
import { startTestPostgres } from '../test-support/test-postgres';
import { runConcurrently, summarise, type Latency } from './latency';

/**
 * `npm run bench:server -- [--patients 100000] [--history-patients 300] [--backend both|pglite|postgres] [--policy both|open|need]`
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
  audit: { bytesPer1000: number };
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
  const session = createJournal({ store: new ResourceStore(database), policy: createNeedPolicy(), audit: databaseAuditWriter(database) }).as(
    systemPrincipal('bench'),
  );
  const started = performance.now();
  const names: string[] = [];
  const givenNames: string[] = [];
  const patientIds: string[] = [];
  const historyIds: { id: string; years: number; gp: string }[] = [];
  let pending: unknown[] = [];
  let resources = 0;
  let index = -1;
  for (const batch of generatePopulation({ patients, seed: 42, now: NOW })) {
    const patient = batch.find((r) => r.resourceType === 'Patient') as { id: string; name?: { family?: string; given?: string[] }[]; generalPractitioner?: { reference?: string }[] } | undefined;
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
        historyIds.push({ id: patient.id, years, gp: (patient.generalPractitioner?.[0]?.reference ?? '').replace(/^PractitionerRole\//, '') });
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

/** The database for one server of several in a row: closing that server leaves it open. */
const keptOpen = (database: Database): Database => ({
  kind: database.kind,
  query: (text, params) => database.query(text, params),
  exec: (script) => database.exec(script),
  transaction: (work) => database.transaction(work),
  close: () => Promise.resolve(),
});

/** The seeded PractitionerRoles as the principals card login would make of them (the need policy's callers). */
const staffPrincipals = async (database: Database): Promise<Map<string, Principal>> => {
  const { rows } = await database.query<{ id: string; content: { practitioner?: { reference?: string }; organization?: { reference?: string }; code?: { coding?: { code?: string }[] }[] } }>(
    "SELECT id, content FROM resource WHERE resource_type = 'PractitionerRole'",
  );
  const principals = new Map<string, Principal>();
  for (const row of rows) {
    const role = ROLE_CODES.find((code) => code === row.content.code?.[0]?.coding?.[0]?.code);
    const practitioner = row.content.practitioner?.reference;
    const organization = row.content.organization?.reference?.replace(/^Organization\//, '');
    if (role && practitioner && organization) {
      principals.set(row.id, { kind: 'practitioner', id: practitioner, organizationId: organization, role });
    }
  }
  return principals;
};

interface ReadFigures {
  read: Latency;
  nameSearch: Latency;
  twoPartNameSearch: Latency;
  everything: Latency & { resourcesPerPatient: number };
}

type Seeded = Awaited<ReturnType<typeof seed>>;

/**
 * Reads, name searches and $everything over HTTP. With the need policy each request comes from
 * the patient's own GP (the seeded PractitionerRole, as card login would map it), so every
 * $everything passes the relationship check and is answered, as at a GP office.
 */
const measureReads = async (database: Database, seeded: Seeded, policy: 'open' | 'need'): Promise<ReadFigures> => {
  const principals = await staffPrincipals(database);
  const anyGp = [...principals.entries()].find(([, principal]) => principal.role === 'physician')?.[0] ?? '';
  const authenticate = (request: FastifyRequest): Principal => {
    const role = request.headers['x-bench-role'];
    return (typeof role === 'string' ? principals.get(role) : undefined) ?? anonymous;
  };
  const { app, baseUrl } = await createJournalServer({ database: keptOpen(database), version: '0.1.0', policy: policy === 'open' ? openPolicy : createNeedPolicy(), authenticate });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = baseUrl();
  const pick = <T>(list: readonly T[], i: number): T => list[(i * 7919) % list.length] as T;
  const as = (role: string) => ({ ...HEADERS, 'x-bench-role': role });
  const get = async (url: string, role = anyGp): Promise<Record<string, unknown>> => {
    const response = await fetch(url, { headers: as(role) });
    if (!response.ok) {
      throw new Error(`${url} -> ${response.status}: ${(await response.text()).slice(0, 200)}`);
    }
    return (await response.json()) as Record<string, unknown>;
  };
  // Warm-up, so the figures are the steady state a clinician meets after start-up.
  await runConcurrently(200, 1, async (i) => {
    await get(`${base}/Patient/${pick(seeded.patientIds, i)}`);
  });
  const read = await runConcurrently(2_000, 1, async (i) => {
    await get(`${base}/Patient/${pick(seeded.patientIds, i + 13)}`);
  });
  const search = await runConcurrently(1_000, 1, async (i) => {
    const prefix = pick(seeded.names, i + 31).slice(0, 3);
    await get(`${base}/Patient?name=${encodeURIComponent(prefix)}&_count=20`);
  });
  // As the workstation asks for "kari nord": one name parameter per typed word, AND-ed.
  const twoPartSearch = await runConcurrently(1_000, 1, async (i) => {
    const given = pick(seeded.givenNames, i + 57).slice(0, 3);
    const family = pick(seeded.names, i + 57).slice(0, 3);
    await get(`${base}/Patient?name=${encodeURIComponent(given)}&name=${encodeURIComponent(family)}&_count=20`);
  });
  const longHistories = seeded.historyIds.filter((h) => h.years >= 10);
  let everythingResources = 0;
  const everything = await runConcurrently(Math.min(300, longHistories.length * 3), 1, async (i) => {
    const patient = pick(longHistories, i);
    const bundle = await get(`${base}/Patient/${patient.id}/$everything`, patient.gp);
    everythingResources += (bundle.entry as unknown[]).length;
  });
  await app.close();
  return {
    read: summarise(read.samples),
    nameSearch: summarise(search.samples),
    twoPartNameSearch: summarise(twoPartSearch.samples),
    everything: { ...summarise(everything.samples), resourcesPerPatient: everythingResources / Math.max(1, everything.samples.length) },
  };
};

const measure = async (backend: string, database: Database, patients: number, withHistory: number, policies: readonly ('open' | 'need')[]): Promise<Figures[]> => {
  process.stdout.write(`[${backend}] seeding ${patients} patients (${withHistory} with full history) …\n`);
  const seeded = await seed(database, patients, withHistory);
  process.stdout.write(`[${backend}] seeded ${seeded.resources} resources in ${seeded.seconds.toFixed(1)} s\n`);
  const results: Omit<Figures, 'createPerSecond' | 'updatePerSecond' | 'history'>[] = [];
  for (const policy of policies) {
    const before = await auditSize(database);
    const reads = await measureReads(database, seeded, policy);
    const after = await auditSize(database);
    results.push({
      backend: `${backend}, ${policy === 'open' ? 'open policy' : 'need policy (server/access)'}`,
      seed: { resources: seeded.resources, seconds: seeded.seconds },
      ...reads,
      audit: { bytesPer1000: after.records > before.records ? ((after.bytes - before.bytes) / (after.records - before.records)) * 1000 : 0 },
    });
  }
  // Writes and history paging, as before, with the open policy.
  const { app, baseUrl } = await createJournalServer({ database: keptOpen(database), version: '0.1.0', policy: openPolicy });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = baseUrl();
  const pick = <T>(list: readonly T[], i: number): T => list[(i * 7919) % list.length] as T;
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
  const writes = {
    createPerSecond: (creates.samples.length / creates.wallMs) * 1000,
    updatePerSecond: (updates.samples.length / updates.wallMs) * 1000,
    history: { pages: pageTimes.length, entries, perPage: summarise(pageTimes) },
  };
  await database.close();
  return results.map((figures) => ({ ...figures, ...writes }));
};

/** The audit log's size on disk and its record count, for its cost per 1,000 interactions. */
const auditSize = async (database: Database): Promise<{ bytes: number; records: number }> => {
  const { rows } = await database.query<{ bytes: string; records: string }>("SELECT pg_total_relation_size('audit_log') AS bytes, count(*) AS records FROM audit_log");
  return { bytes: Number(rows[0]?.bytes ?? 0), records: Number(rows[0]?.records ?? 0) };
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
    `history _since, _count=200:     ${figures.history.pages} pages, ${figures.history.entries} versions, p50 ${ms(figures.history.perPage.p50)} per page (open policy)`,
    `audit log size:                 ${(figures.audit.bytesPer1000 / 1024).toFixed(0)} KiB per 1,000 audit records (reads and searches above)`,
  ].join('\n');

const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: {
      patients: { type: 'string', default: '100000' },
      'history-patients': { type: 'string', default: '300' },
      backend: { type: 'string', default: 'both' },
      // Read figures with the open policy, the need policy (server/access), or both on the same data.
      policy: { type: 'string', default: 'both' },
    },
  });
  const chosen = values.policy;
  const policies: readonly ('open' | 'need')[] | undefined = chosen === 'both' ? ['open', 'need'] : chosen === 'open' || chosen === 'need' ? [chosen] : undefined;
  if (!policies) {
    throw new Error(`--policy must be both, open or need, not ${String(values.policy)}`);
  }
  const patients = Number(values.patients);
  const withHistory = Math.min(patients, Number(values['history-patients']));
  const backends = values.backend === 'both' ? ['pglite', 'postgres'] : [values.backend];
  const results: string[] = [];
  for (const backend of backends) {
    if (backend === 'pglite') {
      const dir = mkdtempSync(join(tmpdir(), 'akson-bench-'));
      try {
        results.push(...(await measure('PGlite (embedded, data folder on disk)', await openPgliteDatabase(dir), patients, withHistory, policies)).map(report));
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    } else if (backend === 'postgres') {
      const postgres = await startTestPostgres({ durable: true });
      try {
        results.push(...(await measure('PostgreSQL 15 (local, fsync on)', await openPostgresDatabase(postgres.url, { max: 10 }), patients, withHistory, policies)).map(report));
      } finally {
        postgres.stop();
      }
    } else {
      throw new Error(`--backend must be both, pglite or postgres, not ${String(backend)}`);
    }
    process.stdout.write(`\n${results.slice(-policies.length).join('\n\n')}\n\n`);
  }
  process.stdout.write(`# Journal API benchmark: ${patients} patients, ${withHistory} with full history\n\n${results.join('\n\n')}\n`);
};

main().catch((error: unknown) => {
  process.stderr.write(`benchmark failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
