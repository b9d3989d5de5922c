import type { Bundle, Resource } from 'fhir/r4';
import { parseRetryAfter } from './backoff';

/**
 * The sync engine's FHIR client for the journal API (server/README.md, "The API"). Every HTTP-level
 * result comes back as an outcome the engine can switch on instead of an exception, because each
 * one calls for a different action: retry with backoff, read the current version and show a
 * conflict, log in again, or park the item and show why.
 *
 * Security: nothing here logs, and no message is built from a request or response body other than
 * an OperationOutcome's own text (patient data must not reach logs or error toasts).
 */

export const FHIR_JSON = 'application/fhir+json';
export const DEFAULT_TIMEOUT_MS = 30_000;
/** A guard against a server whose `next` links loop; $everything of one patient is far below this. */
export const MAX_PAGES = 1000;

export interface JournalClientOptions {
  /** The FHIR base, e.g. http://127.0.0.1:8080/fhir. */
  fhirBase: string;
  /** The current access token; asked before every request, so a renewed token is used at once. */
  token: () => string | undefined;
  fetchImpl?: typeof fetch;
  /** For the whole exchange, body included. */
  timeoutMs?: number;
}

export type RetryReason = 'network' | 'timeout' | 'bad-response' | 'server-error' | 'rate-limited' | 'unavailable';

export interface Ok<T = unknown> {
  kind: 'ok';
  status: number;
  /** The parsed JSON body; undefined when the body was empty. */
  body: T;
  /** The body when it is a FHIR resource. */
  resource?: Resource;
  /** From the ETag (`W/"3"` -> "3"), when the server sent one. */
  versionId?: string;
  location?: string;
  /** The server's `Date` header as an ISO instant (second precision). */
  date?: string;
}
export interface Retry {
  kind: 'retry';
  reason: RetryReason;
  /** The HTTP status, for 5xx, 429 and 408. */
  status?: number;
  /** A system error code such as ECONNREFUSED, never a message that could carry data. */
  code?: string;
  /** From Retry-After, clamped; absent when the server did not say. */
  retryAfterMs?: number;
}
export interface Conflict {
  kind: 'conflict';
  status: 409 | 412;
  message: string;
  /** Only when the server put the current resource in the body; this client never fetches it. */
  current?: Resource;
}
export interface Rejected {
  kind: 'rejected';
  status: number;
  message: string;
}
export interface Unauthorized {
  kind: 'unauthorized';
}

export type Failure = Retry | Conflict | Rejected | Unauthorized;
export type Outcome<T = unknown> = Ok<T> | Failure;

/** The Bundle tag the journal puts on an answer about a patient with a block (sperring) that applies to the caller. */
export const BLOCKED_TAG = { system: 'http://akson.example/fhir/CodeSystem/access', code: 'blocked' } as const;

const carriesBlockedTag = (bundle: unknown): boolean => {
  const tags = (bundle as { meta?: { tag?: unknown } } | undefined)?.meta?.tag;
  return Array.isArray(tags) && tags.some((tag: { system?: unknown; code?: unknown }) => tag?.system === BLOCKED_TAG.system && tag.code === BLOCKED_TAG.code);
};

export interface EverythingOk {
  kind: 'ok';
  status: number;
  resources: Resource[];
  /** The journal said something of this patient is blocked (sperret) for the caller: never what. */
  blocked: boolean;
  /**
   * The `_since` to send next time: the server's own clock (the `Date` header of the first page,
   * so the server's clock, not ours) as an ISO instant. Undefined when the server sent no usable
   * Date; the next pull must then be a full one. The engine should still keep an overlap window
   * (server/README.md: writes can commit out of `last_updated` order) and de-duplicate by
   * (type, id, versionId).
   */
  since?: string;
  pages: number;
}

export type SearchParams = Record<string, string | readonly string[]> | readonly (readonly [string, string])[];

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isResource = (value: unknown): value is Resource => isObject(value) && typeof value.resourceType === 'string';

/** `issue[].diagnostics` or `details.text`, joined; never anything else of the body. */
const outcomeMessage = (body: unknown, status: number): string => {
  const issues = isObject(body) && body.resourceType === 'OperationOutcome' && Array.isArray(body.issue) ? body.issue : [];
  const texts = issues
    .map((issue: unknown) => {
      if (!isObject(issue)) {
        return undefined;
      }
      const details = isObject(issue.details) ? issue.details.text : undefined;
      return typeof issue.diagnostics === 'string' ? issue.diagnostics : typeof details === 'string' ? details : undefined;
    })
    .filter((text): text is string => text !== undefined && text !== '');
  return texts.length > 0 ? texts.join('; ') : `HTTP ${status}`;
};

const errorCode = (error: unknown): string | undefined => {
  // undici wraps the socket error: TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } }).
  for (let current: unknown = error, depth = 0; isObjectLike(current) && depth < 5; current = current.cause, depth++) {
    if (typeof current.code === 'string') {
      return current.code;
    }
  }
  return undefined;
};
const isObjectLike = (value: unknown): value is { code?: unknown; cause?: unknown; name?: unknown } =>
  (typeof value === 'object' || typeof value === 'function') && value !== null;

const networkFailure = (error: unknown): Retry => {
  const name = isObjectLike(error) ? error.name : undefined;
  const code = errorCode(error);
  if (name === 'TimeoutError' || code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT') {
    return { kind: 'retry', reason: 'timeout', ...(code ? { code } : {}) };
  }
  return { kind: 'retry', reason: 'network', ...(code ? { code } : {}) };
};

const versionOf = (etag: string | null): string | undefined => /^(?:W\/)?"([^"]+)"$/.exec(etag?.trim() ?? '')?.[1];

const withoutTrailingSlash = (url: string): string => url.replace(/\/+$/, '');

export class JournalClient {
  private readonly base: URL;
  private readonly baseText: string;
  private readonly token: () => string | undefined;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;

  constructor({ fhirBase, token, fetchImpl, timeoutMs = DEFAULT_TIMEOUT_MS }: JournalClientOptions) {
    // Parsed once here, so a bad base is a thrown error at start-up, not a retry loop later.
    this.base = new URL(withoutTrailingSlash(fhirBase));
    this.baseText = withoutTrailingSlash(this.base.toString());
    this.token = token;
    this.fetchImpl = fetchImpl ?? fetch;
    this.timeoutMs = timeoutMs;
  }

  read(type: string, id: string): Promise<Outcome> {
    return this.request('GET', this.url(type, id));
  }

  search(type: string, params: SearchParams = {}): Promise<Outcome> {
    const query = new URLSearchParams();
    const pairs = Array.isArray(params)
      ? (params as readonly (readonly [string, string])[])
      : Object.entries(params as Record<string, string | readonly string[]>).flatMap(([key, value]) =>
          (typeof value === 'string' ? [value] : value).map((one) => [key, one] as const),
        );
    for (const [key, value] of pairs) {
      query.append(key, value);
    }
    const search = query.toString();
    return this.request('GET', `${this.url(type)}${search ? `?${search}` : ''}`);
  }

  /**
   * Conditional create: `ifNoneExist` is the search that finds an earlier copy (e.g.
   * `identifier=urn:uuid:...|<client id>`, with or without a leading `Type?`), so a retry after a
   * lost answer gives 200 with the stored resource instead of a second one.
   */
  create(resource: Resource, ifNoneExist: string): Promise<Outcome> {
    if (ifNoneExist.trim() === '') {
      throw new Error('create needs If-None-Exist criteria: a retry must not make a second copy.');
    }
    return this.request('POST', this.url(resource.resourceType), { 'if-none-exist': ifNoneExist }, resource);
  }

  /** Update of the version the user edited: `If-Match: W/"<versionId>"`; a newer one on the server is a 412 conflict. */
  update(resource: Resource, ifMatchVersionId: string): Promise<Outcome> {
    if (!resource.id) {
      throw new Error('update needs a resource with an id.');
    }
    if (!/^[A-Za-z0-9.-]{1,64}$/.test(ifMatchVersionId)) {
      throw new Error('update needs the versionId the change was made on.');
    }
    return this.request('PUT', this.url(resource.resourceType, resource.id), { 'if-match': `W/"${ifMatchVersionId}"` }, resource);
  }

  /** A FHIR operation on the base or a resource (`$my-grants`, `Patient/{id}/$break-the-glass`). */
  operation(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Outcome> {
    if (!/^(?:[A-Z][A-Za-z]+\/[A-Za-z0-9.-]{1,64}\/)?\$[a-z-]+$/.test(path)) {
      throw new Error(`not an operation path: ${path.slice(0, 80)}`);
    }
    return this.request(method, `${this.baseText}/${path}`, {}, body);
  }

  /** A transaction (or batch) Bundle, POSTed to the base. */
  transaction(bundle: Bundle): Promise<Outcome> {
    return this.request('POST', this.baseText, {}, bundle);
  }

  /**
   * `Patient/{id}/$everything[?_since=]`. This server answers in one Bundle without paging, but a
   * `next` link (as other FHIR servers send) is followed, only within the FHIR base so the token
   * never goes to another host.
   */
  async everything(patientId: string, since?: string): Promise<EverythingOk | Failure> {
    let url: string | undefined = `${this.url('Patient', patientId)}/$everything${since === undefined ? '' : `?_since=${encodeURIComponent(since)}`}`;
    const resources: Resource[] = [];
    let serverDate: string | undefined;
    let pages = 0;
    let status = 200;
    let blocked = false;
    while (url !== undefined) {
      if (pages >= MAX_PAGES) {
        return { kind: 'rejected', status, message: `$everything gave more than ${MAX_PAGES} pages.` };
      }
      const page = await this.request('GET', url);
      if (page.kind !== 'ok') {
        return page;
      }
      pages++;
      status = page.status;
      serverDate ??= page.date;
      const read = this.readPage(page.body, status, '$everything');
      if (read.kind !== 'ok') {
        return read;
      }
      blocked ||= carriesBlockedTag(page.body);
      resources.push(...read.resources);
      url = read.next;
    }
    return { kind: 'ok', status, resources, pages, blocked, ...(serverDate ? { since: serverDate } : {}) };
  }

  /**
   * `GET /{type}/{id}/_history`: every version, newest first (the server's order), following
   * `next` links within the FHIR base; stops at `maxVersions` (the history view shows no more).
   */
  async history(type: string, id: string, maxVersions = 1_000): Promise<{ kind: 'ok'; resources: Resource[] } | Failure> {
    let url: string | undefined = `${this.url(type, id)}/_history`;
    const resources: Resource[] = [];
    for (let pages = 0; url !== undefined && resources.length < maxVersions; pages++) {
      if (pages >= MAX_PAGES) {
        return { kind: 'rejected', status: 200, message: `_history gave more than ${MAX_PAGES} pages.` };
      }
      const page = await this.request('GET', url);
      if (page.kind !== 'ok') {
        return page;
      }
      // A deleted version has a request but no resource: readPage leaves it out.
      const read = this.readPage(page.body, page.status, '_history');
      if (read.kind !== 'ok') {
        return read;
      }
      resources.push(...read.resources);
      url = read.next;
    }
    return { kind: 'ok', resources: resources.slice(0, maxVersions) };
  }

  /**
   * One page of a paged Bundle answer: its resources, and its `next` link, followed only within
   * the FHIR base so the token never goes to another host.
   */
  private readPage(bundle: unknown, status: number, what: string): { kind: 'ok'; resources: Resource[]; next: string | undefined } | Rejected {
    if (!isObject(bundle) || bundle.resourceType !== 'Bundle') {
      return { kind: 'rejected', status, message: `${what} did not answer with a Bundle.` };
    }
    const resources: Resource[] = [];
    for (const entry of Array.isArray(bundle.entry) ? (bundle.entry as unknown[]) : []) {
      if (isObject(entry) && isResource(entry.resource)) {
        resources.push(entry.resource);
      }
    }
    const link = (Array.isArray(bundle.link) ? (bundle.link as unknown[]) : []).find((candidate) => isObject(candidate) && candidate.relation === 'next');
    const next = isObject(link) && typeof link.url === 'string' ? link.url : undefined;
    if (next !== undefined && !this.withinBase(next)) {
      return { kind: 'rejected', status, message: 'The next link points outside the FHIR base; not followed.' };
    }
    return { kind: 'ok', resources, next };
  }

  private url(type: string, id?: string): string {
    return `${this.baseText}/${encodeURIComponent(type)}${id === undefined ? '' : `/${encodeURIComponent(id)}`}`;
  }

  private withinBase(url: string): boolean {
    try {
      const target = new URL(url);
      return target.origin === this.base.origin && (target.pathname === this.base.pathname || target.pathname.startsWith(`${withoutTrailingSlash(this.base.pathname)}/`));
    } catch {
      return false;
    }
  }

  private async request(method: string, url: string, extra: Record<string, string> = {}, body?: unknown): Promise<Outcome> {
    // Built before the network try: a bad header value or an unserialisable body is a caller's bug
    // and throws, rather than looking like a network failure that would be retried forever.
    const headers = new Headers({ accept: FHIR_JSON, ...extra });
    const token = this.token();
    if (token !== undefined) {
      headers.set('authorization', `Bearer ${token}`);
    }
    let payload: string | undefined;
    if (body !== undefined) {
      headers.set('content-type', FHIR_JSON);
      payload = JSON.stringify(body);
    }

    let response: Response;
    let text: string;
    try {
      // redirect 'manual': an API call that redirects is a misconfiguration to show, not to follow with the token.
      response = await this.fetchImpl(url, { method, headers, body: payload, redirect: 'manual', signal: AbortSignal.timeout(this.timeoutMs) });
      // Read inside the try: a connection reset mid-body or the timeout firing now rejects here.
      text = await response.text();
    } catch (error) {
      return networkFailure(error);
    }

    const status = response.status;
    let parsed: unknown;
    let parseFailed = false;
    try {
      parsed = text.trim() === '' ? undefined : JSON.parse(text);
    } catch {
      parseFailed = true;
    }

    if (status >= 200 && status < 300) {
      if (parseFailed) {
        // A 2xx whose JSON does not parse was cut short on the way (a proxy, a reset); asking again is safe.
        return { kind: 'retry', reason: 'bad-response', status };
      }
      const versionId = versionOf(response.headers.get('etag'));
      const location = response.headers.get('location');
      const date = Date.parse(response.headers.get('date') ?? '');
      return {
        kind: 'ok',
        status,
        body: parsed,
        ...(isResource(parsed) ? { resource: parsed } : {}),
        ...(versionId ? { versionId } : {}),
        ...(location ? { location } : {}),
        ...(Number.isNaN(date) ? {} : { date: new Date(date).toISOString() }),
      };
    }
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'));
    const after = retryAfterMs === undefined ? {} : { retryAfterMs };
    if (status >= 500) {
      return { kind: 'retry', reason: status === 503 ? 'unavailable' : 'server-error', status, ...after };
    }
    if (status === 429) {
      return { kind: 'retry', reason: 'rate-limited', status, ...after };
    }
    if (status === 408) {
      // Request Timeout: the server gave up waiting for us; nothing was done.
      return { kind: 'retry', reason: 'timeout', status, ...after };
    }
    if (status === 401) {
      return { kind: 'unauthorized' };
    }
    if (status === 409 || status === 412) {
      const current = isResource(parsed) && parsed.resourceType !== 'OperationOutcome' ? parsed : undefined;
      return { kind: 'conflict', status, message: outcomeMessage(parsed, status), ...(current ? { current } : {}) };
    }
    if (status >= 300 && status < 400) {
      return { kind: 'rejected', status, message: `The journal API answered with a redirect (HTTP ${status}); check the FHIR base.` };
    }
    return { kind: 'rejected', status, message: outcomeMessage(parsed, status) };
  }
}
