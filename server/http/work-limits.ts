import { parseQuery } from '../fhir/clean-text';
import { isObject } from '../fhir/json-path';
import { FhirError } from '../fhir/operation-outcome';
import { DEFAULT_COUNT, MAX_COUNT, MAX_INCLUDES } from '../store/search-query';

/**
 * Security related: what one request may make the server do. Each limit existed because a single
 * request made unbounded work: a batch of 1,000 `GET Observation?_count=1000` read a million rows
 * (22 s, a 289 MB answer, 3 GB of memory) and held every other clinician's read behind it, as
 * PGlite has one connection.
 */
export interface WorkLimits {
  /** Rows one bundle may ask for, summed over its entries (`bundleRowCost`). */
  maxBundleRows: number;
  /** Bytes of one serialized answer; a larger one is refused whole, never cut. */
  maxAnswerBytes: number;
  /** Requests running at once, over all clients. */
  maxInFlight: number;
  /** Requests of one client (principal) running at once. */
  perClientInFlight: number;
  /** Requests of one client waiting for their turn; more are refused with 429. */
  maxQueuedPerClient: number;
}

export const MAX_BUNDLE_ROWS = 10_000;
export const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

/**
 * PGlite runs every statement on one connection in this process's own thread: more than one
 * request at a time only lengthens the queue inside PGlite, where we can not order it fairly.
 * PostgreSQL has a pool (10 connections by default) and cores of its own.
 */
export const defaultWorkLimits = (database: 'pglite' | 'postgres'): WorkLimits => ({
  maxBundleRows: MAX_BUNDLE_ROWS,
  maxAnswerBytes: MAX_ANSWER_BYTES,
  maxInFlight: database === 'pglite' ? 1 : 16,
  perClientInFlight: database === 'pglite' ? 1 : 8,
  maxQueuedPerClient: 64,
});

const sizeText = (bytes: number): string =>
  bytes >= 1024 * 1024 ? `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB` : `${Math.round(bytes / 1024)} kB`;

/**
 * Rows one bundle entry may read: a search its page size (`_count`, default 50) times one plus
 * its `_include`s; any other entry (read, create, update) one. An entry that will be refused for
 * a malformed query costs one: it reads nothing.
 */
const entryRowCost = (entry: unknown): number => {
  const request = isObject(entry) && isObject(entry.request) ? entry.request : undefined;
  const url = typeof request?.url === 'string' ? request.url : '';
  if (request?.method !== 'GET') {
    return 1;
  }
  const [path = '', search = ''] = url.replace(/^\//, '').split('?', 2);
  if (path.includes('/')) {
    return 1;
  }
  let query: Array<[string, string]>;
  try {
    query = parseQuery(search);
  } catch {
    return 1;
  }
  const raw = query.find(([key]) => key === '_count')?.[1];
  const count = raw === undefined ? DEFAULT_COUNT : Number(raw);
  if (!Number.isInteger(count) || count < 0 || count > MAX_COUNT) {
    return 1;
  }
  const includes = Math.min(query.filter(([key]) => key === '_include').length, MAX_INCLUDES);
  return Math.max(1, count * (1 + includes));
};

/** Rows a bundle may read at most, before any of it runs. */
export const bundleRowCost = (body: unknown): number =>
  isObject(body) && Array.isArray(body.entry) ? (body.entry as unknown[]).reduce<number>((sum, entry) => sum + entryRowCost(entry), 0) : 0;

/** Refuses the whole bundle up front (422 too-costly, naming the limit) when it may read too much. */
export const assertBundleWithinBudget = (body: unknown, maxRows: number): void => {
  const cost = bundleRowCost(body);
  if (cost > maxRows) {
    throw new FhirError(
      422,
      'too-costly',
      `This bundle may read up to ${cost} rows; one bundle may read at most ${maxRows} (each search entry counts its _count, default ${DEFAULT_COUNT}, times 1 + its _include parameters; any other entry counts 1). Nothing was run: split it, or ask for smaller pages.`,
    );
  }
};

/** JSON of an answer, or a 422 too-costly naming the limit when it is larger than `maxBytes`. */
export const serializeWithinLimit = (payload: unknown, maxBytes: number): string => {
  const text = JSON.stringify(payload);
  // A UTF-16 unit is at least one UTF-8 byte: the length alone settles most answers.
  if (text.length > maxBytes || Buffer.byteLength(text, 'utf8') > maxBytes) {
    throw new FhirError(
      422,
      'too-costly',
      `The answer would be larger than ${sizeText(maxBytes)}, the most one answer may be; nothing was sent. Ask for smaller pages (_count) or fewer entries.`,
    );
  }
  return text;
};

interface Client {
  running: number;
  waiting: Array<() => void>;
  /** When this client last got a turn (a global sequence); 0 for never. */
  lastServed: number;
}

/**
 * Requests in flight, bounded overall and per client (principal). A waiting request is started
 * when a place is free, the client served least recently first: a client with many requests
 * waiting can not keep another's single read behind all of them. A client with too many waiting
 * gets a 429.
 *
 * Turns are given out after the event loop has read what arrived (setImmediate), not at once:
 * PGlite runs a request's statements without giving the event loop back, so requests that came
 * in meanwhile are only read afterwards, and choosing before reading them would be first come,
 * first served again.
 */
export class FairGate {
  private inFlight = 0;
  private served = 0;
  private scheduled = false;
  private readonly clients = new Map<string, Client>();

  constructor(private readonly limits: Pick<WorkLimits, 'maxInFlight' | 'perClientInFlight' | 'maxQueuedPerClient'>) {}

  async run<T>(client: string, work: () => Promise<T>): Promise<T> {
    await this.enter(client);
    try {
      return await work();
    } finally {
      this.leave(client);
    }
  }

  /** For tests and diagnosis: requests running and waiting. */
  get load(): { running: number; waiting: number } {
    let waiting = 0;
    for (const client of this.clients.values()) {
      waiting += client.waiting.length;
    }
    return { running: this.inFlight, waiting };
  }

  private enter(key: string): Promise<void> {
    let client = this.clients.get(key);
    if (!client) {
      client = { running: 0, waiting: [], lastServed: 0 };
      this.clients.set(key, client);
    }
    if (client.waiting.length >= this.limits.maxQueuedPerClient) {
      return Promise.reject(
        new FhirError(429, 'throttled', `Too many requests of yours are waiting (at most ${this.limits.maxQueuedPerClient}); wait for answers before sending more.`),
      );
    }
    const queued = client;
    return new Promise((resolve) => {
      queued.waiting.push(resolve);
      this.schedule(false);
    });
  }

  private leave(key: string): void {
    const client = this.clients.get(key);
    if (client) {
      client.running -= 1;
      if (client.running === 0 && client.waiting.length === 0) {
        this.clients.delete(key);
      }
    }
    this.inFlight -= 1;
    this.schedule(true);
  }

  /** `afterIo`: one more turn of the event loop first, so requests that arrived meanwhile are read. */
  private schedule(afterIo: boolean): void {
    if (this.scheduled) {
      return;
    }
    this.scheduled = true;
    const run = (): void => {
      this.scheduled = false;
      this.dispatch();
    };
    setImmediate(() => (afterIo ? setImmediate(run) : run()));
  }

  private dispatch(): void {
    while (this.inFlight < this.limits.maxInFlight) {
      let next: Client | undefined;
      for (const client of this.clients.values()) {
        if (client.waiting.length > 0 && client.running < this.limits.perClientInFlight && (!next || client.lastServed < next.lastServed)) {
          next = client;
        }
      }
      const start = next?.waiting.shift();
      if (!next || !start) {
        return;
      }
      this.served += 1;
      next.lastServed = this.served;
      next.running += 1;
      this.inFlight += 1;
      start();
    }
  }
}
