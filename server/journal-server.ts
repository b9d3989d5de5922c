import type { Writable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from './db/database';
import { migrate } from './db/migration';
import { migrations } from './db/migrations';
import { buildFhirServer } from './http/fhir-server';
import { defaultWorkLimits, type WorkLimits } from './http/work-limits';
import type { AccessPolicy } from './pipeline/access-policy';
import { createAccessOperations } from './access/access-operations';
import { createNeedPolicy, type NeedPolicyOptions } from './access/need-policy';
import { databaseAuditWriter } from './pipeline/audit-writer';
import { createJournal } from './pipeline/journal';
import { anonymous, systemPrincipal, type Principal } from './pipeline/principal';
import { createCardLogin, type CardLoginOptions } from './auth/card-login';
import { createClinicianLookup } from './directory/clinician-lookup';
import { journalAudience } from './auth/journal-audience';
import { ResourceStore } from './store/resource-store';

export interface JournalServerOptions {
  database: Database;
  version: string;
  /** Public base of the FHIR endpoint; `publicUrl` + /fhir, or from the listening address, when absent. */
  baseUrl?: string;
  /**
   * The deployment's public URL as workstations reach it (behind a proxy: the proxy's), e.g.
   * https://journal.example.kommune.no. Its origin is the card login audience, so a login signed
   * for another journal is refused here. Defaults to the origin of `baseUrl`.
   */
  publicUrl?: string;
  /**
   * The access rules; `server/access`'s need policy unless a test set-up gives another (openPolicy
   * only where a test proves something other than access control).
   */
  policy?: AccessPolicy;
  /** Windows of the need policy (appointments, recent encounters) and how long a self-authorisation lasts. */
  access?: NeedPolicyOptions & { grantHours?: number };
  /** Who calls, when there is no card login (tests: a stand-in clinician per request). */
  authenticate?: (request: FastifyRequest) => Principal;
  /** What one request may cost; defaults for the database kind (`defaultWorkLimits`). */
  limits?: Partial<WorkLimits>;
  now?: () => Date;
  log?: { level: string; stream?: Writable };
  /** Require card login: trusted roots and CRLs (DER). Without it every caller is `anonymous`. */
  cardLogin?: Omit<CardLoginOptions, 'findClinician' | 'now' | 'audience' | 'audit'>;
  /**
   * Behind a reverse proxy: the proxy addresses (or CIDRs) whose X-Forwarded-For is believed, so
   * the login rate limit counts workstations, not the proxy. Never "trust everyone": any client
   * could then pick its own address.
   */
  trustProxy?: string[];
}

/**
 * The journal API, composed: migrations, store, the principal -> policy -> audit pipeline, and
 * the FHIR routes. Start it with `listen()`; `close()` also closes the database.
 */
export const createJournalServer = async ({
  database,
  version,
  baseUrl,
  publicUrl,
  policy: givenPolicy,
  access = {},
  authenticate = () => anonymous,
  now,
  log,
  cardLogin,
  trustProxy,
  limits,
}: JournalServerOptions): Promise<{ app: FastifyInstance; baseUrl: () => string }> => {
  // Checked now, so a mistyped --public-url stops the start rather than every login.
  const publicAudience = publicUrl === undefined ? undefined : journalAudience(publicUrl);
  const publicFhirBase = (url: string): string => {
    const { origin, pathname } = new URL(url);
    return `${origin}${pathname.replace(/\/+$/, '')}/fhir`;
  };
  let resolvedBase = baseUrl ?? (publicUrl === undefined ? undefined : publicFhirBase(publicUrl));
  await migrate(database, migrations);
  const store = new ResourceStore(database, now);
  const policy = givenPolicy ?? createNeedPolicy({ ...access, ...(now ? { now } : {}) });
  const journal = createJournal({ store, policy, audit: databaseAuditWriter(database) });
  const operations = createAccessOperations({
    db: database,
    policy,
    audit: databaseAuditWriter(database),
    ...(now ? { now } : {}),
    ...(access.grantHours !== undefined ? { grantHours: access.grantHours } : {}),
  });
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
  // HPR number -> the one Practitioner and role login may map a card to (directory/clinician-lookup.ts).
  const findClinician = createClinicianLookup(journal.as(systemPrincipal('card-login')), now);
  const audience = (): string => publicAudience ?? journalAudience(base());
  const login = cardLogin ? await createCardLogin({ ...cardLogin, findClinician, audience, audit: databaseAuditWriter(database), ...(now ? { now } : {}) }) : undefined;
  const app = await buildFhirServer({
    journal,
    authenticate: login ? (request) => login.authenticate(request.headers.authorization) : authenticate,
    ...(login ? { cardLogin: login } : {}),
    baseUrl: base,
    version,
    ...(log ? { log } : {}),
    ...(trustProxy ? { trustProxy } : {}),
    // Security related: without card login every caller is anonymous; loopback callers only.
    loopbackOnly: !login,
    limits: { ...defaultWorkLimits(database.kind), ...limits },
    operations,
  });
  app.addHook('onClose', async () => {
    await database.close();
  });
  return { app, baseUrl: base };
};
