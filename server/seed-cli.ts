import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Database } from './db/database';
import { migrate } from './db/migration';
import { migrations } from './db/migrations';
import { openPgliteDatabase } from './db/pglite-database';
import { openPostgresDatabase } from './db/postgres-database';
import { createNeedPolicy } from './access/need-policy';
import { databaseAuditWriter } from './pipeline/audit-writer';
import { createJournal } from './pipeline/journal';
import { systemPrincipal } from './pipeline/principal';
import { seedJournal } from './seed/seed-journal';
import { ResourceStore } from './store/resource-store';

/**
 * `npm run seed -- [--patients 200] [--seed 1] [--now 2026-11-28] [--data ./journal-data]`
 * Fills the journal (PGlite folder, or DATABASE_URL) with a deterministic synthetic population.
 */
const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: {
      patients: { type: 'string', default: '200' },
      seed: { type: 'string', default: '1' },
      now: { type: 'string', default: new Date().toISOString().slice(0, 10) },
      data: { type: 'string', default: './journal-data' },
    },
    strict: true,
  });
  const patients = Number(values.patients);
  const seed = Number(values.seed);
  const now = new Date(`${values.now}T12:00:00Z`);
  if (!Number.isInteger(patients) || patients < 0 || patients > 1_000_000) {
    throw new Error(`--patients must be a whole number 0-1000000, got "${values.patients}"`);
  }
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    throw new Error(`--seed must be a whole number 0-4294967295, got "${values.seed}"`);
  }
  if (Number.isNaN(now.getTime())) {
    throw new Error(`--now must be a date YYYY-MM-DD, got "${values.now}"`);
  }
  const url = process.env.DATABASE_URL;
  const database: Database = url ? await openPostgresDatabase(url) : await openPgliteDatabase(resolve(values.data));
  try {
    await migrate(database, migrations);
    const journal = createJournal({ store: new ResourceStore(database), policy: createNeedPolicy(), audit: databaseAuditWriter(database) });
    let lastReport = 0;
    // No hospital signer here: server/ holds no signing keys, so the discharge letters go in unsigned
    // (the demo journal and the tests sign them with the hospital test CA).
    const report = await seedJournal(journal.as(systemPrincipal('seed')), { patients, seed, now }, {
      onProgress: (progress) => {
        if (progress.milliseconds - lastReport > 5_000) {
          lastReport = progress.milliseconds;
          process.stdout.write(`  ${progress.patients} patients, ${progress.resources} resources …\n`);
        }
      },
    });
    process.stdout.write(
      `Seeded ${report.patients} synthetic patients (${report.resources} resources, seed ${seed}, as of ${values.now}) in ${(report.milliseconds / 1000).toFixed(1)} s into ${url ? 'PostgreSQL' : resolve(values.data)}.\n`,
    );
  } finally {
    await database.close();
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`Seeding failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
