import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { FileKeyStore } from '../../electron/core/cache';
import { createCore, type Core, type CoreOptions } from '../../electron/core/core';
import { createLogger } from '../../electron/core/logging/logger';
import type { CallName, CallOutput, Result } from '../../shared/contract';
import type { Database } from '../../server/db/database';
import { openPgliteDatabase } from '../../server/db/pglite-database';
import { HPR_SYSTEM } from '../../server/fhir/identifiers';
import { createJournalServer } from '../../server/journal-server';
import { openPolicy, type AccessPolicy } from '../../server/pipeline/access-policy';
import { ResourceStore } from '../../server/store/resource-store';
import { createDemoPki, type DemoPki } from '../test-pki/create-test-pki';
import { startFaultProxy } from '../test-support/fault-proxy';

const build = { name: 'Akson', version: '0.1.0', buildTime: '2026-11-28T08:00:00.000Z' };
const der = (pem: string): Uint8Array => Uint8Array.from(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));

/** The real journal server on PGlite, trusting the demo CA, knowing the TEST card's clinician. */
export const startSyncJournal = async (
  dir: string,
  options: { dataDir?: string; port?: number; publicUrl?: string; database?: Database; policy?: AccessPolicy } = {},
): Promise<{ url: string; port: number; database: Database; store: ResourceStore; pki: DemoPki; close: () => Promise<void> }> => {
  const pki = createDemoPki(join(dir, 'pki'));
  // PGlite unless a database is given (the bench also measures on PostgreSQL).
  const database = options.database ?? (await openPgliteDatabase(options.dataDir));
  const { app, baseUrl } = await createJournalServer({
    database,
    version: '0.1.0',
    // Behind the fault proxy, workstations log in to the proxy's address: that is the audience.
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
    cardLogin: { trustedRoots: [der(pki.demoCaCertPem)], crls: [der(pki.demoCrlPem)], acceptTestCards: true },
    // An explicit test set-up: these journals prove sync (outbox, conflicts, faults), with a TEST
    // card clinician who has no role; access rules are proven in server/access.
    policy: options.policy ?? openPolicy,
  });
  const store = new ResourceStore(database);
  const known = await database.query<{ n: number }>(`SELECT count(*)::int AS n FROM resource WHERE resource_type = 'Practitioner'`).catch(() => ({ rows: [{ n: 0 }] }));
  if ((known.rows[0]?.n ?? 0) === 0) {
    await store.db.transaction((tx) =>
      store.create(tx, 'Practitioner', { resourceType: 'Practitioner', identifier: [{ system: HPR_SYSTEM, value: pki.demoCard.hpr }] }),
    );
  }
  await app.listen({ port: options.port ?? 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: baseUrl().replace(/\/fhir$/, ''), port, database, store, pki, close: () => app.close() };
};

/** A free loopback port, for a server that must be named (e.g. behind a proxy) before it listens. */
export const freePort = async (): Promise<number> => {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
};

/** The journal behind a fault-injecting proxy: the proxy's address is the journal's public URL. */
export const startJournalBehindProxy = async (dir: string, options: { dataDir?: string } = {}) => {
  const port = await freePort();
  const proxy = await startFaultProxy({ target: { host: '127.0.0.1', port } });
  const journal = await startSyncJournal(dir, { ...options, port, publicUrl: proxy.url });
  return { journal, proxy };
};

export interface Workstation {
  core: Core;
  dataDir: string;
  /** What core wrote to its log so far. */
  logs(): string;
  /** Calls through the contract's dispatcher, as the renderer does; throws on a contract error. */
  call<N extends CallName>(name: N, input: unknown): Promise<CallOutput<N>>;
  close(): Promise<void>;
}

/**
 * One workstation core with its own data folder, logged in with the TEST card through the contract.
 * `extra`: core options a test needs (trust anchors for signature checks, a worklist refresh interval).
 */
export const startWorkstation = async (
  journalUrl: string,
  pki: DemoPki,
  dataDir = mkdtempSync(join(tmpdir(), 'akson-ws-')),
  extra: Pick<CoreOptions, 'trustAnchors' | 'worklistRefreshMs'> = {},
): Promise<Workstation> => {
  // Everything core logs, at debug level, so tests can check no patient data reaches a log.
  const logged: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      logged.push(chunk.toString('utf8'));
      callback();
    },
  });
  const log = createLogger({ name: 'test', level: 'debug', destination });
  const core = createCore({
    build,
    mode: 'dev-host',
    log,
    clockIntervalMs: 3_600_000,
    session: { journalUrl, card: { kind: 'test-card', folder: pki.demoCard.file } },
    // An offline login tries the journal again quickly here (30 s in the product).
    offlineRetryMs: 200,
    offline: { dataDir, keyStore: new FileKeyStore(dataDir) },
    ...extra,
  });
  const call = async <N extends CallName>(name: N, input: unknown): Promise<CallOutput<N>> => {
    const result = (await core.dispatch(name, input)) as Result<CallOutput<N>>;
    if (!result.ok) {
      throw new Error(`${name}: ${result.error.code} ${result.error.message}`);
    }
    return result.value;
  };
  const login = await call('session.login', { pin: pki.demoCard.pin });
  if (!login.ok) {
    throw new Error(`login failed: ${login.code} ${login.detail ?? ''}`);
  }
  // The cache opens on the session's change event; wait until the workspace answers.
  for (let i = 0; i < 100; i += 1) {
    const status = await core.dispatch('sync.status', {});
    if (status.ok && !(status.value as { needsLogin: boolean }).needsLogin) {
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    core,
    dataDir,
    logs: () => logged.join(''),
    call,
    close: async () => {
      await core.dispose();
    },
  };
};

export const removeDir = (dir: string): void => rmSync(dir, { recursive: true, force: true });
