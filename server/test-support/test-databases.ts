import { randomBytes } from 'node:crypto';
import type { Writable } from 'node:stream';
import type { FastifyRequest } from 'fastify';
import pg from 'pg';
import { inject } from 'vitest';
import type { Database } from '../db/database';
import { openPgliteDatabase } from '../db/pglite-database';
import { openPostgresDatabase } from '../db/postgres-database';
import type { WorkLimits } from '../http/work-limits';
import { createJournalServer } from '../journal-server';
import { openPolicy, type AccessPolicy } from '../pipeline/access-policy';
import type { Principal } from '../pipeline/principal';

export const databaseKinds = ['pglite', 'postgres'] as const;
export type DatabaseKind = (typeof databaseKinds)[number];

/** A new, empty database of the given kind: PGlite in memory, or a fresh database on the test cluster. */
export const openTestDatabase = async (kind: DatabaseKind): Promise<Database> => {
  if (kind === 'pglite') {
    return openPgliteDatabase();
  }
  const adminUrl = inject('postgresUrl');
  const name = `t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client(adminUrl);
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return openPostgresDatabase(url.toString(), { max: 25 });
};

export interface TestJournal {
  /** The FHIR base, e.g. http://127.0.0.1:43121/fhir */
  url: string;
  database: Database;
  close(): Promise<void>;
}

/** The real journal server on a real database, listening on a free loopback port. */
export const startTestJournal = async (
  kind: DatabaseKind,
  options: {
    now?: () => Date;
    log?: { level: string; stream?: Writable };
    authenticate?: (request: FastifyRequest) => Principal;
    limits?: Partial<WorkLimits>;
    /**
     * The access rules. An explicit test set-up: the REST, fuzz and limit tests prove FHIR
     * behaviour with the open policy (anonymous callers see everything); the access tests pass
     * the need policy (`server/access`).
     */
    policy?: AccessPolicy;
  } = {},
): Promise<TestJournal> => {
  const database = await openTestDatabase(kind);
  const { app, baseUrl } = await createJournalServer({ database, version: '0.1.0', policy: openPolicy, ...options });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { url: baseUrl(), database, close: () => app.close() };
};

export const FHIR_HEADERS = { 'content-type': 'application/fhir+json', accept: 'application/fhir+json' };

/** fetch with FHIR JSON in and out; returns status, headers and the parsed body. */
export const fhir = async (
  url: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string>; rawBody?: string } = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> => {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: { ...FHIR_HEADERS, ...init.headers },
    ...(init.rawBody !== undefined ? { body: init.rawBody } : init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
};
