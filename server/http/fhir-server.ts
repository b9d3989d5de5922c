import type { Writable } from 'node:stream';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { capabilityStatement } from '../fhir/capability-statement';
import type { Json } from '../fhir/json-path';
import { FhirError, badRequest, operationOutcome } from '../fhir/operation-outcome';
import { isObject } from '../fhir/json-path';
import { parseQuery, parseVersionId, queryOfTarget } from '../fhir/clean-text';
import { processBundle, parseETag } from '../pipeline/bundle-processor';
import type { Interaction } from '../pipeline/access-policy';
import { auditedByJournal, type Journal, type JournalSession, type Query } from '../pipeline/journal';
import type { CardLogin } from '../auth/card-login';
import type { AccessOperations } from '../access/access-operations';
import { BLOCKED_MARKER } from '../access/block-consent';
import { grantParameter } from '../access/break-the-glass';
import { dateRangeOf } from '../audit/audit-events';
import { ThrottledError } from '../auth/rate-limit';
import { anonymous, type Principal } from '../pipeline/principal';
import type { StoredResource } from '../store/resource-store';
import { DEFAULT_COUNT, MAX_COUNT } from '../store/search-query';
import { loopbackRefusal } from './loopback-guard';
import { assertBundleWithinBudget, defaultWorkLimits, FairGate, serializeWithinLimit, type WorkLimits } from './work-limits';
import { assertCleanParams, MAX_JSON_DEPTH, parseJsonBody } from './request-bytes';

export const FHIR_JSON = 'application/fhir+json';
export const BODY_LIMIT = 16 * 1024 * 1024;
export { MAX_JSON_DEPTH };
export interface FhirServerOptions {
  journal: Journal;
  /** Who is calling; throw a FhirError(401) to refuse. */
  authenticate: (request: FastifyRequest) => Principal | Promise<Principal>;
  /** Card login endpoints (/auth/challenge, /auth/token), when the server requires login. */
  cardLogin?: CardLogin;
  /** Public base URL of the FHIR endpoint, e.g. http://127.0.0.1:8080/fhir. */
  baseUrl: () => string;
  version: string;
  /** Where request logs go (pino JSON lines); no logging when absent. */
  log?: { level: string; stream?: Writable };
  /** Proxy addresses whose X-Forwarded-For sets request.ip (the login rate limit's key). */
  trustProxy?: string[];
  /**
   * Answer only requests that arrive on loopback under a loopback Host name (`loopback-guard`):
   * for a journal without login, where every caller is anonymous.
   */
  loopbackOnly?: boolean;
  /** What one request may cost (`work-limits`); PostgreSQL's defaults when absent. */
  limits?: WorkLimits;
  /** Self-authorisation, the access log, AuditEvents and the review (`server/access`). */
  operations?: AccessOperations;
}

/**
 * Security related: on every answer. Answers carry patient data and tokens: no cache (browser,
 * proxy, disk) may keep them; and no browser may sniff a JSON answer into something it runs.
 */
const applyResponseHeaders = (reply: FastifyReply): void => {
  reply.header('Cache-Control', 'no-store').header('X-Content-Type-Options', 'nosniff');
};

/**
 * Security related: request logs carry the method, the route pattern and the status only. The URL
 * is not logged: its query holds names and national ids (`?identifier=...|15898010020`), and a
 * path can hold a patient id. Headers are not logged (they carry the bearer token).
 */
const logOptions = (log: { level: string; stream?: Writable }) => ({
  level: log.level,
  ...(log.stream ? { stream: log.stream } : {}),
  serializers: {
    req: (request: { method: string; routeOptions?: { url?: string } }) => ({
      method: request.method,
      route: request.routeOptions?.url ?? 'unmatched',
    }),
    res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
  },
});

type Params = { type: string; id: string; vid: string };

const sessions = new WeakMap<FastifyRequest, JournalSession>();

/** Strict: invalid UTF-8, NUL or a lone surrogate in the query is a 400 (`parseQuery`). */
const queryOf = (request: FastifyRequest): Query => queryOfTarget(request.url);

/** The interaction a request was meant to be, for auditing a refusal the pipeline never saw. */
const interactionOf = (request: FastifyRequest): Interaction | undefined => {
  const route = request.routeOptions.url ?? '';
  const reading = request.method === 'GET' || request.method === 'HEAD';
  if ((route === '/fhir/' || route === '/fhir') && request.method === 'POST') {
    return isObject(request.body) && request.body.type === 'batch' ? 'batch' : 'transaction';
  }
  if (route.endsWith('/_history') && reading) {
    return 'history';
  }
  const byRoute: Record<string, Partial<Record<string, Interaction>>> = {
    '/fhir/metadata': { GET: 'capabilities', HEAD: 'capabilities' },
    '/fhir/:type': { GET: 'search', HEAD: 'search', POST: 'create' },
    '/fhir/:type/:id': { GET: 'read', HEAD: 'read', PUT: 'update' },
    '/fhir/:type/:id/_history/:vid': { GET: 'vread', HEAD: 'vread' },
    '/fhir/Patient/:id/$everything': { GET: 'everything', HEAD: 'everything' },
    // Refused before the operation ran (a body that is not JSON, a limit): audited like the rest.
    '/fhir/Patient/:id/$break-the-glass': { POST: 'break-the-glass' },
    '/fhir/$my-grants': { GET: 'break-the-glass' },
    '/fhir/Patient/:id/$access-log': { GET: 'access-log' },
    '/fhir/AuditEvent': { GET: 'access-log' },
    '/fhir/AuditEvent/:id': { GET: 'access-log' },
    '/fhir/$break-the-glass-review': { GET: 'review', POST: 'review' },
  };
  return byRoute[route]?.[request.method];
};

const sendResource = (reply: FastifyReply, stored: StoredResource, status: number, baseUrl: string): FastifyReply => {
  reply.code(status).header('ETag', `W/"${stored.versionId}"`).header('Last-Modified', stored.lastUpdated.toUTCString());
  if (status === 201) {
    reply.header('Location', `${baseUrl}/${stored.resourceType}/${stored.id}/_history/${stored.versionId}`);
  }
  return reply.send(stored.resource);
};

const bundleEntry = (baseUrl: string, stored: StoredResource, mode?: 'match' | 'include'): Json => ({
  fullUrl: `${baseUrl}/${stored.resourceType}/${stored.id}`,
  resource: stored.resource,
  ...(mode ? { search: { mode } } : {}),
});

/** Security related: says THAT a block (sperring) hid something of the patient, never what. */
const blockedMeta = (blocked: boolean): Json => (blocked ? { meta: { tag: [{ ...BLOCKED_MARKER }] } } : {});

const withParam = (url: URL, name: string, value: string): string => {
  const next = new URL(url);
  next.searchParams.set(name, value);
  return next.toString();
};

const sinceOf = (query: Query): Date | undefined => {
  const since = query.find(([key]) => key === '_since')?.[1];
  if (since === undefined) {
    return undefined;
  }
  const at = new Date(since);
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(since) || Number.isNaN(at.getTime())) {
    throw badRequest('_since must be an instant with time zone, e.g. 2026-11-28T08:00:00Z.');
  }
  return at;
};

const countOf = (query: Query, fallback: number): number => {
  const raw = query.find(([key]) => key === '_count')?.[1];
  const count = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
    throw badRequest(`_count must be a whole number from 1 to ${MAX_COUNT}.`);
  }
  return count;
};

const onlyParams = (query: Query, allowed: string[]): void => {
  for (const [key] of query) {
    if (!allowed.includes(key)) {
      throw badRequest(`Unknown parameter "${key}" here; allowed: ${allowed.join(', ')}.`);
    }
  }
};

/**
 * FHIR R4 REST over the journal. Every route takes the request's JournalSession (principal ->
 * access policy -> audit -> store); no route reaches the store another way.
 */
export const buildFhirServer = async ({ journal, authenticate, cardLogin, baseUrl, version, log, trustProxy, loopbackOnly = false, limits = defaultWorkLimits('postgres'), operations }: FhirServerOptions): Promise<FastifyInstance> => {
  const app = Fastify({
    logger: log ? logOptions(log) : false,
    bodyLimit: BODY_LIMIT,
    routerOptions: { caseSensitive: true, maxParamLength: 200 },
    return503OnClosing: true,
    ...(trustProxy ? { trustProxy } : {}),
    // Errors Fastify raises before a route runs (bad URL encoding, ...) are OperationOutcomes too.
    frameworkErrors: (error, _request, frameworkReply) => {
      const reply = frameworkReply as unknown as FastifyReply;
      applyResponseHeaders(reply);
      void reply
        .code(400)
        .type(FHIR_JSON)
        .send(operationOutcome('error', 'invalid', `The request is malformed (${error.code ?? 'bad request'}).`));
    },
  });

  // Security related: every route's work waits its turn in the gate, per principal (`FairGate`).
  // Wrapped at registration, so no route can forget it; /auth and other routes without a
  // journal session are not journal work and pass.
  const gate = new FairGate(limits);
  const gated = new WeakSet<object>();
  app.addHook('onRoute', (routeOptions) => {
    const handler = routeOptions.handler;
    if (gated.has(handler)) {
      return;
    }
    const wrapped: typeof handler = function (this: FastifyInstance, request, reply) {
      const found = sessions.get(request);
      return found ? gate.run(found.principal.id, () => Promise.resolve(handler.call(this, request, reply))) : handler.call(this, request, reply);
    };
    gated.add(wrapped);
    routeOptions.handler = wrapped;
  });
  // Security related: an answer larger than the limit is refused whole (422), never cut.
  app.setReplySerializer((payload) => serializeWithinLimit(payload, limits.maxAnswerBytes));

  app.removeAllContentTypeParsers();
  // Bytes, not a string: Fastify's string decoding would turn invalid UTF-8 into U+FFFD.
  app.addContentTypeParser(['application/fhir+json', 'application/json'], { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, parseJsonBody(body as Buffer));
    } catch (error) {
      done(error instanceof Error ? error : new FhirError(400, 'structure', 'The body is not valid JSON.'), undefined);
    }
  });
  app.addContentTypeParser('*', (_request, _payload, done) => {
    done(new FhirError(415, 'not-supported', `Send ${FHIR_JSON}.`), undefined);
  });

  const route = (request: FastifyRequest): string => request.routeOptions.url ?? '';
  /** A refusal the pipeline did not see (bytes, limits, parameters) is audited here, like its own. */
  const auditRefusal = async (request: FastifyRequest, status: number, error: unknown): Promise<void> => {
    const found = sessions.get(request);
    const interaction = interactionOf(request);
    if (!found || !interaction || auditedByJournal(error)) {
      return;
    }
    const params = (request.params ?? {}) as Partial<Params>;
    try {
      await found.recordRefusal(interaction, status, {
        ...(typeof params.type === 'string' ? { resourceType: params.type } : route(request).startsWith('/fhir/Patient/') ? { resourceType: 'Patient' } : {}),
        ...(typeof params.id === 'string' ? { resourceId: params.id } : {}),
      });
    } catch (auditError) {
      request.log.error({ errorType: auditError instanceof Error ? auditError.name : typeof auditError }, 'audit of a refusal failed');
    }
  };
  app.setErrorHandler(async (error, request, reply) => {
    const status = (error as { statusCode?: number }).statusCode;
    const fhirError =
      error instanceof FhirError
        ? error
        : status === 413
          ? new FhirError(413, 'too-costly', 'The body is too large.')
          : status !== undefined && status >= 400 && status < 500
            ? new FhirError(status, 'invalid', 'The request is malformed.')
            : undefined;
    if (!fhirError) {
      request.log.error({ errorType: error instanceof Error ? error.name : typeof error }, 'unexpected error');
    }
    const outcome = fhirError ?? new FhirError(500, 'exception', 'The server failed to process the request.');
    await auditRefusal(request, outcome.status, error);
    if (outcome.status === 429) {
      reply.header('Retry-After', '1');
    }
    return reply.code(outcome.status).type(FHIR_JSON).send(outcome.toOutcome());
  });
  app.setNotFoundHandler((request, reply) => {
    void reply.code(404).type(FHIR_JSON).send(operationOutcome('error', 'not-found', `No such endpoint: ${request.method} ${request.url.split('?')[0] ?? ''}`));
  });

  app.addHook('onRequest', async (request, reply) => {
    applyResponseHeaders(reply);
    reply.type(FHIR_JSON);
    if (loopbackOnly) {
      // Security related: before anything else, so a rebound page learns nothing, not even a 401.
      const refusal = loopbackRefusal({
        rawHeaders: request.raw.rawHeaders,
        host: request.headers.host,
        localAddress: request.socket.localAddress,
        localPort: request.socket.localPort,
      });
      if (refusal) {
        throw new FhirError(refusal.status, 'security', refusal.reason);
      }
    }
    const accept = request.headers.accept;
    if (accept && !/(\*\/\*|application\/(fhir\+)?json)/.test(accept)) {
      throw new FhirError(406, 'not-supported', `Only ${FHIR_JSON} is served.`);
    }
    const path = request.url.split('?')[0] ?? '';
    if (path.startsWith('/auth/')) {
      return;
    }
    // The CapabilityStatement is public (GET only), as FHIR clients read it before they log in.
    const publicRead = path === '/fhir/metadata' && (request.method === 'GET' || request.method === 'HEAD');
    sessions.set(request, journal.as(publicRead ? anonymous : await authenticate(request)));
  });

  // Security related: path parameters obey the byte rules of bodies and queries before a route uses them.
  app.addHook('preValidation', (request, _reply, done) => {
    try {
      assertCleanParams(request.params);
      done();
    } catch (error) {
      done(error instanceof Error ? error : new Error(String(error)));
    }
  });

  if (cardLogin) {
    // request.ip is the socket's address unless trustProxy names the proxy in front.
    const retryAfter = async <T>(reply: FastifyReply, work: () => T | Promise<T>): Promise<T> => {
      try {
        return await work();
      } catch (error) {
        if (error instanceof ThrottledError) {
          reply.header('Retry-After', String(error.retryAfterSeconds));
        }
        throw error;
      }
    };
    app.post('/auth/challenge', async (request, reply) => retryAfter(reply, () => cardLogin.issueChallenge(request.ip)));
    app.post('/auth/token', async (request, reply) =>
      retryAfter(reply, () => cardLogin.login((request.body as { assertion?: unknown } | undefined)?.assertion, request.ip)),
    );
  }

  const session = (request: FastifyRequest): JournalSession => {
    const found = sessions.get(request);
    if (!found) {
      throw new FhirError(401, 'login', 'Not authenticated.');
    }
    return found;
  };

  await app.register(
    (fhir, _options, done) => {
      fhir.get('/metadata', () => Promise.resolve(capabilityStatement(baseUrl(), version)));

      fhir.post('/', async (request) => {
        assertBundleWithinBudget(request.body, limits.maxBundleRows);
        return processBundle(session(request), request.body, baseUrl());
      });

      fhir.get('/_history', async (request) => history(request, {}));

      fhir.get<{ Params: Params }>('/:type', async (request) => {
        const result = await session(request).search(request.params.type, queryOf(request));
        const self = new URL(request.url, 'http://x');
        const url = new URL(`${baseUrl()}/${request.params.type}${self.search}`);
        return {
          resourceType: 'Bundle',
          ...blockedMeta(result.blocked),
          type: 'searchset',
          ...(result.total === undefined ? {} : { total: result.total }),
          link: [
            { relation: 'self', url: url.toString() },
            ...(result.nextOffset === undefined ? [] : [{ relation: 'next', url: withParam(url, '_offset', String(result.nextOffset)) }]),
          ],
          entry: [
            ...result.matches.map((m) => bundleEntry(baseUrl(), m, 'match')),
            ...result.includes.map((m) => bundleEntry(baseUrl(), m, 'include')),
          ],
        };
      });

      fhir.post<{ Params: Params }>('/:type', async (request, reply) => {
        const ifNoneExist = request.headers['if-none-exist'];
        const criteria = typeof ifNoneExist === 'string' ? parseQuery(ifNoneExist.replace(/^[^?]*\?/, '')) : undefined;
        const result = await session(request).create(request.params.type, request.body, criteria ? { ifNoneExist: criteria } : {});
        return sendResource(reply, result.stored, result.created ? 201 : 200, baseUrl());
      });

      fhir.get<{ Params: Params }>('/:type/_history', async (request) => history(request, { resourceType: request.params.type }));

      fhir.get<{ Params: Params }>('/:type/:id', async (request, reply) =>
        sendResource(reply, await session(request).read(request.params.type, request.params.id), 200, baseUrl()),
      );

      fhir.put<{ Params: Params }>('/:type/:id', async (request, reply) => {
        const ifMatch = parseETag(typeof request.headers['if-match'] === 'string' ? request.headers['if-match'] : undefined);
        const result = await session(request).update(request.params.type, request.params.id, request.body, ifMatch);
        return sendResource(reply, result.stored, result.created ? 201 : 200, baseUrl());
      });

      const neverDeleted = (reply: FastifyReply): never => {
        reply.header('Allow', 'GET, PUT');
        throw new FhirError(
          405,
          'not-supported',
          'Clinical data is never deleted. Correct it with a new version (e.g. status entered-in-error); every version stays in the history.',
        );
      };
      fhir.delete('/:type', async (_request, reply) => neverDeleted(reply));
      fhir.patch('/:type/:id', async (_request, reply) => {
        reply.header('Allow', 'GET, PUT');
        throw new FhirError(405, 'not-supported', 'PATCH is not supported; send the whole resource with PUT and If-Match.');
      });
      fhir.delete<{ Params: Params }>('/:type/:id', async (_request, reply) => {
        reply.header('Allow', 'GET, PUT');
        throw new FhirError(
          405,
          'not-supported',
          'Clinical data is never deleted. Correct it with a new version (e.g. status entered-in-error); every version stays in the history.',
        );
      });

      fhir.get<{ Params: Params }>('/:type/:id/_history', async (request) =>
        history(request, { resourceType: request.params.type, id: request.params.id }),
      );

      fhir.get<{ Params: Params }>('/:type/:id/_history/:vid', async (request, reply) => {
        const versionId = parseVersionId(request.params.vid, 'The version');
        return sendResource(reply, await session(request).vread(request.params.type, request.params.id, versionId), 200, baseUrl());
      });

      fhir.get<{ Params: Params }>('/Patient/:id/$everything', async (request) => {
        const query = queryOf(request);
        onlyParams(query, ['_since']);
        const { resources, blocked } = await session(request).everything(request.params.id, sinceOf(query));
        return { resourceType: 'Bundle', ...blockedMeta(blocked), type: 'searchset', total: resources.length, entry: resources.map((r) => bundleEntry(baseUrl(), r)) };
      });

      if (operations) {
        const access = (request: FastifyRequest) => operations.as(session(request).principal);
        const queryValues = (request: FastifyRequest, name: string): string[] => queryOf(request).filter(([key]) => key === name).map(([, value]) => value);
        const collection = (resources: Json[]): Json => ({ resourceType: 'Bundle', type: 'searchset', total: resources.length, entry: resources.map((resource) => ({ fullUrl: `${baseUrl()}/AuditEvent/${String(resource.id)}`, resource })) });

        fhir.post<{ Params: Params }>('/Patient/:id/$break-the-glass', async (request, reply) => {
          const grant = await access(request).breakTheGlass(request.params.id, request.body);
          return reply.code(201).send({ resourceType: 'Parameters', parameter: [grantParameter(grant)] });
        });
        fhir.get('/$my-grants', async (request) => ({ resourceType: 'Parameters', parameter: (await access(request).activeGrants()).map(grantParameter) }));
        fhir.get<{ Params: Params }>('/Patient/:id/$access-log', async (request) => {
          onlyParams(queryOf(request), ['from', 'to']);
          const range = dateRangeOf([...queryValues(request, 'from').map((v) => `ge${v}`), ...queryValues(request, 'to').map((v) => `le${v}`)]);
          return collection(await access(request).accessLog(request.params.id, range));
        });
        fhir.get('/AuditEvent', async (request) => {
          const query = queryOf(request);
          onlyParams(query, ['patient', 'agent', 'date', '_count']);
          const patient = queryValues(request, 'patient')[0]?.replace(/^Patient\//, '');
          const agent = queryValues(request, 'agent')[0];
          return collection(
            await access(request).auditEvents({
              ...(patient ? { patient } : {}),
              ...(agent ? { agent } : {}),
              ...dateRangeOf(queryValues(request, 'date')),
              count: countOf(query, DEFAULT_COUNT),
            }),
          );
        });
        fhir.get<{ Params: Params }>('/AuditEvent/:id', async (request) => access(request).auditEvent(request.params.id));
        fhir.get('/$break-the-glass-review', async (request) => {
          onlyParams(queryOf(request), ['reviewed']);
          const reviewed = queryValues(request, 'reviewed')[0] === 'true';
          return { resourceType: 'Parameters', parameter: (await access(request).reviewList(reviewed)).map(grantParameter) };
        });
        fhir.post('/$break-the-glass-review', async (request) => ({ resourceType: 'Parameters', parameter: [grantParameter(await access(request).review(request.body))] }));
      }

      done();
    },
    { prefix: '/fhir' },
  );

  const history = async (request: FastifyRequest, scope: { resourceType?: string; id?: string }): Promise<Json> => {
    const query = queryOf(request);
    onlyParams(query, ['_since', '_count', '_cursor']);
    const cursorRaw = query.find(([key]) => key === '_cursor')?.[1];
    const before = cursorRaw === undefined ? undefined : Number(cursorRaw);
    // Safe integers only: the position is a bigint column, and a larger number is not one we gave out.
    if (before !== undefined && (!Number.isSafeInteger(before) || before < 1)) {
      throw badRequest('_cursor must be the value from a next link.');
    }
    const since = sinceOf(query);
    const count = countOf(query, DEFAULT_COUNT);
    const result = await session(request).history({ ...scope, count, ...(since ? { since } : {}), ...(before ? { before } : {}) });
    const self = new URL(`${baseUrl()}${request.url.replace(/^\/fhir/, '')}`);
    return {
      resourceType: 'Bundle',
      type: 'history',
      link: [
        { relation: 'self', url: self.toString() },
        ...(result.nextBefore === undefined ? [] : [{ relation: 'next', url: withParam(self, '_cursor', String(result.nextBefore)) }]),
      ],
      entry: result.entries.map((entry) => ({
        fullUrl: `${baseUrl()}/${entry.resourceType}/${entry.id}`,
        resource: entry.resource,
        request: { method: entry.method, url: entry.method === 'POST' ? entry.resourceType : `${entry.resourceType}/${entry.id}` },
        response: {
          status: entry.versionId === 1 ? '201 Created' : '200 OK',
          etag: `W/"${entry.versionId}"`,
          lastModified: entry.lastUpdated.toISOString(),
        },
      })),
    };
  };

  return app;
};
