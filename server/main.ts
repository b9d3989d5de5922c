import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DataDirLockedError } from './db/data-dir-lock';
import type { Database } from './db/database';
import { NewerDatabaseError } from './db/migration';
import { openPgliteDatabase } from './db/pglite-database';
import { openPostgresDatabase } from './db/postgres-database';
import { journalAudience } from './auth/journal-audience';
import { isLoopbackBind } from './http/loopback-guard';
import { createJournalServer } from './journal-server';

declare const __AKSON_BUILD__: { name: string; version: string; buildTime: string };

/**
 * `npm run server -- [--port 8080] [--host 127.0.0.1] [--data ./journal-data] [--trust CA.pem --crl CRL.pem [--demo]] [--public-url https://journal.example.kommune.no] [--trust-proxy 10.0.0.5[,10.1.0.0/16]]`
 * PGlite in the data folder by default; DATABASE_URL=postgres://... uses PostgreSQL instead.
 * --public-url is the address workstations use (the proxy's, behind one): its origin is the card
 * login audience. Without it, the listening address is. --trust-proxy names the reverse proxies
 * whose X-Forwarded-For is believed, so the login rate limit counts workstations, not the proxy.
 */
const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '8080' },
      host: { type: 'string', default: '127.0.0.1' },
      data: { type: 'string', default: './journal-data' },
      // Card login: trust these roots (PEM), check these CRLs; --demo also accepts the TEST card.
      trust: { type: 'string', multiple: true },
      crl: { type: 'string', multiple: true },
      demo: { type: 'boolean', default: false },
      'public-url': { type: 'string' },
      'trust-proxy': { type: 'string', multiple: true },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be 0-65535, got "${values.port}"`);
  }
  const publicUrl = values['public-url'];
  if (publicUrl !== undefined) {
    journalAudience(publicUrl); // throws on a mistyped URL before the database is opened
  }
  const trustProxy = (values['trust-proxy'] ?? []).flatMap((list) => list.split(',')).map((entry) => entry.trim()).filter((entry) => entry !== '');
  const trust = values.trust ?? [];
  if (trust.length === 0 && !isLoopbackBind(values.host)) {
    // Security related: without card login every caller is anonymous; the network must not reach it.
    throw new Error(
      `--host ${values.host} is beyond loopback, but without --trust there is no login and every caller is "anonymous". ` +
        'Without --trust the journal listens on loopback only (127.0.0.1, ::1, localhost); give --trust CA.pem --crl CRL.pem to serve the network.',
    );
  }
  const url = process.env.DATABASE_URL;
  const database: Database = url ? await openPostgresDatabase(url) : await openPgliteDatabase(resolve(values.data));
  const pem = (file: string): Uint8Array =>
    Uint8Array.from(Buffer.from(readFileSync(file, 'utf8').replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
  if (trust.length > 0 && (values.crl ?? []).length === 0) {
    throw new Error('--trust needs --crl: without a current revocation list every card would be refused (fail closed).');
  }
  const { app, baseUrl } = await createJournalServer({
    database,
    version: __AKSON_BUILD__.version,
    ...(publicUrl !== undefined ? { publicUrl } : {}),
    ...(trustProxy.length > 0 ? { trustProxy } : {}),
    log: { level: process.env.AKSON_LOG_LEVEL ?? 'info', stream: process.stderr },
    ...(trust.length > 0
      ? { cardLogin: { trustedRoots: trust.map(pem), crls: (values.crl ?? []).map(pem), acceptTestCards: values.demo } }
      : {}),
  });
  await app.listen({ port, host: values.host });
  const address = app.server.address();
  const listeningPort = typeof address === 'object' && address ? address.port : port;
  const where = url ? 'PostgreSQL (DATABASE_URL)' : `PGlite in ${resolve(values.data)}`;
  process.stdout.write(`Akson journal API ${__AKSON_BUILD__.version} on ${baseUrl()} — ${where}\n`);
  process.stdout.write(
    trust.length > 0
      ? `Card login required (POST /auth/challenge, /auth/token) for the audience ${journalAudience(baseUrl())}${values.demo ? '; DEMO MODE: the TEST card is accepted' : ''}.\n`
      : `No login: every caller is "anonymous", so the journal listens on loopback only and answers only requests addressed to 127.0.0.1, localhost or [::1] on port ${listeningPort}. Give --trust CA.pem --crl CRL.pem to require card login.\n`,
  );
  if (trust.length > 0 && publicUrl === undefined && !['127.0.0.1', '::1'].includes(values.host)) {
    // Workstations elsewhere reach us by another name, and a login signed for that name is refused.
    process.stderr.write(`Warning: no --public-url; card logins are accepted only for ${journalAudience(baseUrl())}. Give the address workstations use.\n`);
  }
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
