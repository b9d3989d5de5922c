import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DataDirLockedError } from './db/data-dir-lock';
import type { Database } from './db/database';
import { NewerDatabaseError } from './db/migration';
import { openPgliteDatabase } from './db/pglite-database';
import { openPostgresDatabase } from './db/postgres-database';
import { createJournalServer } from './journal-server';

declare const __AKSON_BUILD__: { name: string; version: string; buildTime: string };

/**
 * `npm run server -- [--port 8080] [--host 127.0.0.1] [--data ./journal-data]`
 * PGlite in the data folder by default; DATABASE_URL=postgres://... uses PostgreSQL instead.
 */
const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      data: { type: 'string', default: './journal-data' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be 0-65535, got "${values.port}"`);
  }
  const url = process.env.DATABASE_URL;
  const database: Database = url ? await openPostgresDatabase(url) : await openPgliteDatabase(resolve(values.data));
  const { app, baseUrl } = await createJournalServer({
    database,
    version: __AKSON_BUILD__.version,
    log: { level: process.env.AKSON_LOG_LEVEL ?? 'info', stream: process.stderr },
  });
  await app.listen({ port, host: values.host });
  const where = url ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${resolve(values.data)}`;
  process.stdout.write(`Akson journal API ${__AKSON_BUILD__.version} on ${baseUrl()} — ${where}\n`);
  process.stdout.write('No login yet: every caller is "anonymous" until card login (the smart card issue) is in place.\n');
  const stop = (): void => {
    void app.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
};

main().catch((error: unknown) => {
  const known = error instanceof DataDirLockedError || error instanceof NewerDatabaseError;
  process.stderr.write(`The journal API could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(known ? 2 : 1);
});
