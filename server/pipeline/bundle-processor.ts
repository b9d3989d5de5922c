import { randomUUID } from 'node:crypto';
import type { Queryable } from '../db/database';
import { isObject, type Json } from '../fhir/json-path';
import { parseQuery, parseVersionId } from '../fhir/clean-text';
import { FhirError, badRequest } from '../fhir/operation-outcome';
import { parseReference } from '../fhir/search-index';
import { isSupportedType } from '../fhir/search-parameters';
import type { StoredResource } from '../store/resource-store';
import type { JournalSession, Query } from './journal';

export const MAX_BUNDLE_ENTRIES = 1000;

interface ParsedEntry {
  index: number;
  method: 'GET' | 'POST' | 'PUT';
  type: string;
  id: string | undefined;
  versionId: number | undefined;
  query: Query;
  fullUrl: string | undefined;
  resource: Json | undefined;
  ifMatch: number | undefined;
  ifNoneExist: Query | undefined;
}

export interface EntryResponse {
  status: string;
  location?: string;
  etag?: string;
  lastModified?: string;
  outcome?: Json;
}

export interface BundleResponseEntry {
  fullUrl?: string;
  resource?: Json;
  response: EntryResponse;
}

/** W/"3" or "3" -> 3. */
export const parseETag = (value: string | undefined): number | undefined => {
  if (value === undefined) {
    return undefined;
  }
  const match = /^(?:W\/)?"(\d+)"$/.exec(value.trim());
  if (!match?.[1]) {
    throw badRequest(`If-Match must be a version ETag such as W/"3", not ${value.slice(0, 40)}.`);
  }
  return parseVersionId(match[1], 'The version in If-Match');
};

/** Strict (`parseQuery`): entry URLs and If-None-Exist obey the same byte rules as a request's query. */
export const queryPairs = (search: string): Query => parseQuery(search);

const parseEntry = (raw: unknown, index: number): ParsedEntry => {
  const where = `Bundle.entry[${index}]`;
  if (!isObject(raw) || !isObject(raw.request)) {
    throw new FhirError(400, 'structure', `${where} needs a request.`, [`${where}.request`]);
  }
  const { method, url, ifMatch, ifNoneExist } = raw.request;
  if (method === 'DELETE' || method === 'PATCH') {
    throw new FhirError(405, 'not-supported', `${where}: ${method} is not supported; clinical data is corrected by a new version, never deleted.`, [`${where}.request.method`]);
  }
  if (method !== 'GET' && method !== 'POST' && method !== 'PUT') {
    throw new FhirError(400, 'value', `${where}.request.method must be GET, POST or PUT.`, [`${where}.request.method`]);
  }
  if (typeof url !== 'string' || url === '') {
    throw new FhirError(400, 'required', `${where}.request.url is missing.`, [`${where}.request.url`]);
  }
  const [path = '', search = ''] = url.replace(/^\//, '').split('?', 2);
  const [type = '', id, historyWord, versionId] = path.split('/');
  if (!isSupportedType(type)) {
    throw new FhirError(400, 'not-supported', `${where}: resource type "${type}" is not supported.`, [`${where}.request.url`]);
  }
  const historyPath = historyWord !== undefined;
  if (
    (method === 'POST' && id !== undefined) ||
    (method === 'PUT' && (id === undefined || search !== '' || historyPath)) ||
    (historyPath && (historyWord !== '_history' || versionId === undefined))
  ) {
    throw new FhirError(400, 'not-supported', `${where}: "${method} ${url}" is not a supported request.`, [`${where}.request.url`]);
  }
  const resource = raw.resource;
  if ((method === 'POST' || method === 'PUT') && !isObject(resource)) {
    throw new FhirError(400, 'required', `${where} needs a resource for ${method}.`, [`${where}.resource`]);
  }
  if (ifNoneExist !== undefined && typeof ifNoneExist !== 'string') {
    throw new FhirError(400, 'value', `${where}.request.ifNoneExist must be a query string.`);
  }
  return {
    index,
    method,
    type,
    id,
    versionId: versionId === undefined ? undefined : parseVersionId(versionId, `${where}: the version`),
    query: queryPairs(search),
    fullUrl: typeof raw.fullUrl === 'string' ? raw.fullUrl : undefined,
    resource: isObject(resource) ? resource : undefined,
    ifMatch: parseETag(typeof ifMatch === 'string' ? ifMatch : undefined),
    ifNoneExist: typeof ifNoneExist === 'string' ? queryPairs(ifNoneExist.replace(/^[^?]*\?/, '')) : undefined,
  };
};

/** Replaces every Reference.reference that names a bundle-local fullUrl with the real Type/id. */
const rewriteReferences = (value: unknown, map: ReadonlyMap<string, string>, unresolved: (ref: string) => never): unknown => {
  if (Array.isArray(value)) {
    return value.map((item) => rewriteReferences(item, map, unresolved));
  }
  if (!isObject(value)) {
    return value;
  }
  const out: Json = {};
  for (const [key, child] of Object.entries(value)) {
    if (key === 'reference' && typeof child === 'string' && child.startsWith('urn:uuid:')) {
      out[key] = map.get(child) ?? unresolved(child);
    } else {
      out[key] = rewriteReferences(child, map, unresolved);
    }
  }
  return out;
};

const referencesIn = (value: unknown, found: string[] = []): string[] => {
  if (Array.isArray(value)) {
    value.forEach((item) => referencesIn(item, found));
  } else if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (key === 'reference' && typeof child === 'string') {
        found.push(child);
      } else {
        referencesIn(child, found);
      }
    }
  }
  return found;
};

const written = (stored: StoredResource, created: boolean, baseUrl: string): BundleResponseEntry => ({
  fullUrl: `${baseUrl}/${stored.resourceType}/${stored.id}`,
  resource: stored.resource,
  response: {
    status: created ? '201 Created' : '200 OK',
    location: `${stored.resourceType}/${stored.id}/_history/${stored.versionId}`,
    etag: `W/"${stored.versionId}"`,
    lastModified: stored.lastUpdated.toISOString(),
  },
});

const runEntry = async (
  session: JournalSession,
  entry: ParsedEntry,
  tx: Queryable | undefined,
  baseUrl: string,
): Promise<BundleResponseEntry> => {
  switch (entry.method) {
    case 'POST': {
      const result = await session.create(entry.type, entry.resource, {
        ...(entry.ifNoneExist ? { ifNoneExist: entry.ifNoneExist } : {}),
        ...(entry.id ? { id: entry.id } : {}),
        ...(tx ? { tx } : {}),
      });
      return written(result.stored, result.created, baseUrl);
    }
    case 'PUT': {
      const result = await session.update(entry.type, entry.id ?? '', entry.resource, entry.ifMatch, tx);
      return written(result.stored, result.created, baseUrl);
    }
    case 'GET': {
      if (entry.id === undefined) {
        const result = await session.search(entry.type, entry.query, tx);
        return {
          resource: {
            resourceType: 'Bundle',
            type: 'searchset',
            ...(result.total === undefined ? {} : { total: result.total }),
            entry: result.matches.map((m) => ({ fullUrl: `${baseUrl}/${m.resourceType}/${m.id}`, resource: m.resource })),
          },
          response: { status: '200 OK' },
        };
      }
      const stored = await session.read(entry.type, entry.id, tx);
      if (entry.versionId !== undefined && entry.versionId !== stored.versionId) {
        throw new FhirError(400, 'not-supported', 'Reading an older version inside a bundle is not supported; use vread.');
      }
      return {
        fullUrl: `${baseUrl}/${stored.resourceType}/${stored.id}`,
        resource: stored.resource,
        response: { status: '200 OK', etag: `W/"${stored.versionId}"`, lastModified: stored.lastUpdated.toISOString() },
      };
    }
    default: {
      const unexpected: never = entry.method;
      throw new Error(`unknown method ${String(unexpected)}`);
    }
  }
};

const located = (error: unknown, index: number): unknown => {
  if (error instanceof FhirError && !error.message.startsWith('Bundle.entry')) {
    return new FhirError(error.status, error.code, `Bundle.entry[${index}]: ${error.message}`, error.expression ?? [`Bundle.entry[${index}]`]);
  }
  return error;
};

/**
 * A transaction is all or nothing: every entry runs in one database transaction, in FHIR's order
 * (POST, conditional ones first; PUT; GET), with `urn:uuid:` references rewritten to the ids assigned, and every reference
 * checked to exist; the first failure rolls everything back. A batch runs each entry on its own.
 */
export const processBundle = async (session: JournalSession, body: unknown, baseUrl: string): Promise<Json> => {
  if (!isObject(body) || body.resourceType !== 'Bundle') {
    throw new FhirError(400, 'structure', 'POST to the base URL takes a Bundle of type transaction or batch.');
  }
  const type = body.type;
  if (type !== 'transaction' && type !== 'batch') {
    throw new FhirError(400, 'value', 'Bundle.type must be transaction or batch.', ['Bundle.type']);
  }
  if (body.entry !== undefined && !Array.isArray(body.entry)) {
    // Not an empty bundle: what the client meant to send is not what would have run.
    throw new FhirError(400, 'structure', 'Bundle.entry must be an array.', ['Bundle.entry']);
  }
  const rawEntries = (body.entry ?? []) as unknown[];
  if (rawEntries.length > MAX_BUNDLE_ENTRIES) {
    throw new FhirError(413, 'too-costly', `A bundle may hold at most ${MAX_BUNDLE_ENTRIES} entries.`);
  }
  await session.authorize(type);

  if (type === 'batch') {
    // Each entry on its own (a savepoint each: one failing undoes only itself), all in one
    // database transaction, so a batch of many changes costs one commit, not one per entry.
    const responses = await session.transaction(async (tx) => {
      const answers: BundleResponseEntry[] = [];
      for (const [index, raw] of rawEntries.entries()) {
        try {
          answers.push(await session.savepoint(tx, () => runEntry(session, parseEntry(raw, index), tx, baseUrl)));
        } catch (error) {
          const fhirError = error instanceof FhirError ? error : new FhirError(500, 'exception', 'The entry failed inside the server.');
          answers.push({ response: { status: String(fhirError.status), outcome: fhirError.toOutcome() as unknown as Json } });
        }
      }
      return answers;
    });
    return { resourceType: 'Bundle', type: 'batch-response', entry: responses };
  }

  const entries = rawEntries.map(parseEntry);
  const fullUrls = new Set<string>();
  for (const entry of entries) {
    if (entry.fullUrl) {
      if (fullUrls.has(entry.fullUrl)) {
        throw new FhirError(400, 'duplicate', `Bundle.entry[${entry.index}].fullUrl ${entry.fullUrl} appears twice.`);
      }
      fullUrls.add(entry.fullUrl);
    }
  }
  // Ids for plain creates up front, so entries may refer to each other in any order.
  const idMap = new Map<string, string>();
  for (const entry of entries) {
    if (entry.method === 'POST' && !entry.ifNoneExist) {
      entry.id = randomUUID();
      if (entry.fullUrl?.startsWith('urn:uuid:')) {
        idMap.set(entry.fullUrl, `${entry.type}/${entry.id}`);
      }
    }
  }
  // Conditional creates first: their ids are only known once they have run, and other entries
  // (in any order) may refer to them. Plain creates already have their ids.
  const rank = (entry: ParsedEntry): number => (entry.method === 'POST' ? (entry.ifNoneExist ? 0 : 1) : entry.method === 'PUT' ? 2 : 3);
  const processing = [...entries].sort((a, b) => rank(a) - rank(b) || a.index - b.index);
  const createdHere = new Set(entries.filter((e) => e.id && e.method !== 'GET').map((e) => `${e.type}/${e.id ?? ''}`));
  const responses = new Map<number, BundleResponseEntry>();

  await session.transaction(async (tx) => {
    // Every reference to something outside the bundle must exist: checked for the whole bundle
    // in one query before anything is written.
    const outside = new Map<string, number>();
    for (const entry of entries) {
      for (const reference of entry.resource ? referencesIn(entry.resource) : []) {
        const local = reference.startsWith(`${baseUrl}/`) ? reference.slice(baseUrl.length + 1) : reference;
        const target = parseReference({ reference: local });
        const key = target ? `${target.targetType}/${target.targetId}` : undefined;
        if (key && !createdHere.has(key) && !outside.has(key)) {
          outside.set(key, entry.index);
        }
      }
    }
    const [absent] = await session.missing([...outside.keys()], tx);
    if (absent) {
      throw located(new FhirError(400, 'invalid', `refers to ${absent}, which does not exist; nothing in this transaction was stored.`), outside.get(absent) ?? 0);
    }
    for (const entry of processing) {
      try {
        if (entry.resource) {
          entry.resource = rewriteReferences(entry.resource, idMap, (ref) => {
            throw new FhirError(400, 'invalid', `refers to ${ref}, which is not a fullUrl of an earlier entry in this bundle.`);
          }) as Json;
        }
        const response = await runEntry(session, entry, tx, baseUrl);
        responses.set(entry.index, response);
        if (entry.method === 'POST' && entry.fullUrl?.startsWith('urn:uuid:') && response.resource) {
          const id = response.resource.id;
          idMap.set(entry.fullUrl, `${entry.type}/${typeof id === 'string' ? id : ''}`);
          createdHere.add(`${entry.type}/${typeof id === 'string' ? id : ''}`);
        }
      } catch (error) {
        throw located(error, entry.index);
      }
    }
  });
  return {
    resourceType: 'Bundle',
    type: 'transaction-response',
    entry: entries.map((entry) => responses.get(entry.index)),
  };
};
