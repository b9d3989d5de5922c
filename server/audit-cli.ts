import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Database } from './db/database';
import { DataDirLockedError } from './db/data-dir-lock';
import { migrate } from './db/migration';
import { migrations } from './db/migrations';
import { openPgliteDatabase } from './db/pglite-database';
import { openPostgresDatabase } from './db/postgres-database';
import { verifyAuditChain } from './audit/audit-verify';

const USAGE = `npm run audit -- verify [--data ./journal-data]   (or DATABASE_URL=postgres://...)`;

/**
 * `npm run audit -- verify`: walks the audit log's hash chain and names the first record that was
 * changed, or that follows a removed one. Exit code 0 when the chain holds, 3 when it is broken.
 * On PGlite stop the server first (one process per data folder).
 */
const main = async (): Promise<number> => {
  const [command, ...rest] = process.argv.slice(2);
  const { values } = parseArgs({ args: rest, options: { data: { type: 'string', default: './journal-data' } }, strict: true });
  if (command !== 'verify') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined || command === 'help' || command === '--help' ? 0 : 1;
  }
  const url = process.env.DATABASE_URL;
  const database: Database = url ? await openPostgresDatabase(url) : await openPgliteDatabase(resolve(values.data));
  try {
    await migrate(database, migrations);
    const check = await verifyAuditChain(database);
    if (check.ok) {
      process.stdout.write(`The audit log holds: ${check.records} records, chain head ${check.head}.\n`);
      return 0;
    }
    process.stdout.write(`The audit log is BROKEN after ${check.records} good records. ${check.message}\n`);
    return 3;
  } finally {
    await database.close();
  }
};

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`The audit log could not be checked: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(error instanceof DataDirLockedError ? 2 : 1);
  },
);
