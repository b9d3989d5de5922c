import type { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Database } from './db/database';
import { migrate } from './db/migration';
import { migrations } from './db/migrations';
import { buildFhirServer } from './http/fhir-server';
import { openPolicy, type AccessPolicy } from './pipeline/access-policy';
import { databaseAuditWriter } from './pipeline/audit-writer';
import { createJournal } from './pipeline/journal';
import { anonymous, type Principal } from './pipeline/principal';
import { ResourceStore } from './store/resource-store';

export interface JournalServerOptions {
  database: Database;
  version: string;
  /** Public base of the FHIR endpoint; filled in from the listening address when absent. */
  baseUrl?: string;
  policy?: AccessPolicy;
  authenticate?: () => Principal;
  now?: () => Date;
  log?: { level: string; stream?: Writable };
}

/**
 * The journal API, composed: migrations, store, the principal -> policy -> audit pipeline, and
 * the FHIR routes. Start it with `listen()`; `close()` also closes the database.
 */
export const createJournalServer = async ({
  database,
  version,
  baseUrl,
  policy = openPolicy,
  authenticate = () => anonymous,
  now,
  log,
}: JournalServerOptions): Promise<{ app: FastifyInstance; baseUrl: () => string }> => {
  await migrate(database, migrations);
  const store = new ResourceStore(database, now);
  const journal = createJournal({ store, policy, audit: databaseAuditWriter(database) });
  let resolvedBase = baseUrl;
  const base = (): string => {
    if (resolvedBase) {
      return resolvedBase;
    }
    const address = app.server.address();
    if (typeof address === 'object' && address) {
      // IPv6 literals need brackets in a URL; a wildcard bind has no address a client can use.
      const host = address.family === 'IPv6' ? `[${address.address === '::' ? '::1' : address.address}]` : address.address === '0.0.0.0' ? '127.0.0.1' : address.address;
      resolvedBase = `http://${host}:${address.port}/fhir`;
    } else {
      resolvedBase = 'http://127.0.0.1/fhir';
    }
    return resolvedBase;
  };
  const app = await buildFhirServer({ journal, authenticate, baseUrl: base, version, ...(log ? { log } : {}) });
  app.addHook('onClose', async () => {
    await database.close();
  });
  return { app, baseUrl: base };
};
