import { createHash, randomUUID } from 'node:crypto';
import type { Database, Queryable } from '../db/database';
import type { Json } from '../fhir/json-path';
import { FhirError, notFound, preconditionFailed } from '../fhir/operation-outcome';
import { extractIndexRows } from '../fhir/search-index';
import { writeIndexRows } from './index-writer';
import { writeBlockRows } from './block-rows';
import { criterionSql, parseSearch, SqlBuilder, sortSql, stringCriterionSql, type ParsedSearch } from './search-query';
import { everything as everythingVisible, type Visibility } from './visibility';

/** One version of a resource as stored: `resource` carries id and meta.versionId/lastUpdated too. */
export interface StoredResource {
  resourceType: string;
  id: string;
  versionId: number;
  lastUpdated: Date;
  resource: Json;
}

export interface HistoryEntry extends StoredResource {
  method: 'POST' | 'PUT';
  seq: number;
}

export interface SearchResult {
  matches: StoredResource[];
  includes: StoredResource[];
  total: number | undefined;
  /** Offset of the next page, when there is one. */
  nextOffset: number | undefined;
  search: ParsedSearch;
}

export interface HistoryQuery {
  resourceType?: string;
  id?: string;
  since?: Date;
  count: number;
  /** Only versions older than this position (the cursor of the next page). */
  before?: number;
}

interface Row {
  resource_type: string;
  id: string;
  version_id: number;
  last_updated: Date | string;
  content: Json;
}

const toStored = (row: Row): StoredResource => ({
  resourceType: row.resource_type,
  id: row.id,
  versionId: row.version_id,
  lastUpdated: new Date(row.last_updated),
  resource: row.content,
});

const COLUMNS = 'r.resource_type, r.id, r.version_id, r.last_updated, r.content';

/**
 * For past versions: the resource as it is now must be visible too, so that restricting a
 * resource in a new version also hides its earlier, unrestricted versions.
 */
const currentVisible = (sql: SqlBuilder, visibility: Visibility): string =>
  `EXISTS (SELECT 1 FROM resource c WHERE c.resource_type = r.resource_type AND c.id = r.id AND ${visible(sql, visibility, 'c')})`;

/** Visibility condition for alias `r` appended to `sql`. */
const visible = (sql: SqlBuilder, visibility: Visibility, alias = 'r'): string => {
  const part = visibility(alias, sql.params.length + 1);
  sql.params.push(...part.params);
  return part.sql;
};

/**
 * The journal's storage: current versions, full history and the search index, written together
 * in one transaction. It knows nothing about who asks: callers pass the Visibility an access
 * policy built, and every query that surfaces resources applies it.
 */
export class ResourceStore {
  constructor(
    readonly db: Database,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private stamp(resource: Json, resourceType: string, id: string, versionId: number, lastUpdated: Date): Json {
    const meta = typeof resource.meta === 'object' && resource.meta !== null ? (resource.meta as Json) : {};
    return {
      ...resource,
      resourceType,
      id,
      meta: { ...meta, versionId: String(versionId), lastUpdated: lastUpdated.toISOString() },
    };
  }

  private async write(
    tx: Queryable,
    resourceType: string,
    id: string,
    versionId: number,
    body: Json,
    method: 'POST' | 'PUT',
  ): Promise<StoredResource> {
    try {
      return await this.writeVersion(tx, resourceType, id, versionId, body, method);
    } catch (error) {
      if ((error as { constraint?: unknown }).constraint === 'patient_national_id_unique' || /patient_national_id_unique/.test(String((error as Error).message))) {
        throw new FhirError(409, 'duplicate', 'A patient with this national id is already in the journal; nothing was stored.');
      }
      if ((error as { constraint?: unknown }).constraint === 'practitioner_hpr_unique' || /practitioner_hpr_unique/.test(String((error as Error).message))) {
        throw new FhirError(409, 'duplicate', 'This HPR number belongs to another Practitioner in the directory; nothing was stored.');
      }
      throw error;
    }
  }

  private async writeVersion(
    tx: Queryable,
    resourceType: string,
    id: string,
    versionId: number,
    body: Json,
    method: 'POST' | 'PUT',
  ): Promise<StoredResource> {
    const lastUpdated = this.now();
    const resource = this.stamp(body, resourceType, id, versionId, lastUpdated);
    const content = JSON.stringify(resource);
    if (versionId === 1) {
      await tx.query(
        'INSERT INTO resource (resource_type, id, version_id, last_updated, content) VALUES ($1, $2, 1, $3, $4::jsonb)',
        [resourceType, id, lastUpdated.toISOString(), content],
      );
    } else {
      await tx.query(
        'UPDATE resource SET version_id = $3, last_updated = $4, content = $5::jsonb WHERE resource_type = $1 AND id = $2',
        [resourceType, id, versionId, lastUpdated.toISOString(), content],
      );
    }
    await tx.query(
      `INSERT INTO resource_history (resource_type, id, version_id, last_updated, method, content)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb)`,
      [resourceType, id, versionId, lastUpdated.toISOString(), method, content],
    );
    await writeIndexRows(tx, resourceType, id, extractIndexRows(resourceType, resource), { replace: versionId > 1 });
    await writeBlockRows(tx, resourceType, id, resource, { replace: versionId > 1 });
    return { resourceType, id, versionId, lastUpdated, resource };
  }

  /** Create with a server-assigned id (or the given one, for transaction placeholders). */
  async create(tx: Queryable, resourceType: string, body: Json, id: string = randomUUID()): Promise<StoredResource> {
    return this.write(tx, resourceType, id, 1, body, 'POST');
  }

  /**
   * Conditional create: exactly one resource even when identical requests race. An advisory lock
   * on the criteria serialises them on PostgreSQL (PGlite has one connection and serialises all).
   */
  async createIfNoneExist(
    tx: Queryable,
    resourceType: string,
    body: Json,
    criteria: ReadonlyArray<[string, string]>,
    visibility: Visibility,
    id?: string,
  ): Promise<{ stored: StoredResource; created: boolean }> {
    const search = parseSearch(resourceType, criteria);
    if (search.criteria.length === 0) {
      throw new FhirError(400, 'invalid', 'If-None-Exist needs at least one search criterion.');
    }
    const key = createHash('sha256')
      .update(`${resourceType}?${[...criteria].map(([k, v]) => `${k}=${v}`).sort().join('&')}`)
      .digest()
      .readBigInt64BE(0);
    if (this.db.kind === 'postgres') {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [key.toString()]);
    }
    // Matched against every resource, so a hidden one is not duplicated; only a visible match is returned.
    const existing = await this.searchMatches(tx, { ...search, count: 2, offset: 0, sort: [] }, everythingVisible);
    if (existing.length > 1) {
      throw new FhirError(412, 'multiple-matches', `If-None-Exist matched ${existing.length} ${resourceType} resources; refine the criteria.`);
    }
    const [match] = existing;
    if (match) {
      const seen = await this.searchMatches(tx, { ...search, criteria: [...search.criteria], count: 1, offset: 0, sort: [] }, visibility);
      if (seen.length === 0) {
        throw new FhirError(409, 'conflict', `A matching ${resourceType} exists that you do not have access to; it was not created again.`);
      }
      return { stored: match, created: false };
    }
    return { stored: await this.create(tx, resourceType, body, id), created: true };
  }

  /**
   * Update. An existing resource needs the version the client read (If-Match): a stale one is 412,
   * never a silent overwrite. A resource that does not exist yet is created with the client's id.
   */
  async update(
    tx: Queryable,
    resourceType: string,
    id: string,
    body: Json,
    ifMatch: number | undefined,
    visibility: Visibility,
  ): Promise<{ stored: StoredResource; created: boolean }> {
    // FOR UPDATE: a concurrent update of the same resource waits here, then sees the new version.
    const sql = new SqlBuilder();
    const { rows } = await tx.query<{ version_id: number; visible: boolean }>(
      `SELECT r.version_id, (${visible(sql, visibility)}) AS visible FROM resource r
       WHERE r.resource_type = ${sql.add(resourceType)} AND r.id = ${sql.add(id)} FOR UPDATE`,
      sql.params,
    );
    const [row] = rows;
    if (row && !row.visible) {
      // Security related: a resource the caller may not see is answered like one that is not
      // there, and can not be overwritten; no version number leaks.
      throw notFound(`${resourceType}/${id} was not found.`);
    }
    const current = row?.version_id;
    if (current === undefined) {
      if (ifMatch !== undefined) {
        throw preconditionFailed(`${resourceType}/${id} does not exist, so version ${ifMatch} can not match.`);
      }
      try {
        return { stored: await this.write(tx, resourceType, id, 1, body, 'PUT'), created: true };
      } catch (error) {
        // Two PUTs racing to create the same new id: the loser gets a conflict, not a 500.
        if ((error as { code?: unknown }).code === '23505') {
          throw new FhirError(409, 'conflict', `${resourceType}/${id} was created by someone else just now. Read it and try again.`);
        }
        throw error;
      }
    }
    if (ifMatch === undefined) {
      throw new FhirError(
        428,
        'required',
        `Updating ${resourceType}/${id} needs If-Match with the version you read (current is ${current}).`,
      );
    }
    if (ifMatch !== current) {
      throw preconditionFailed(`${resourceType}/${id} is at version ${current}, not ${ifMatch}: it was changed by someone else. Read it again.`);
    }
    return { stored: await this.write(tx, resourceType, id, current + 1, body, 'PUT'), created: false };
  }

  async read(db: Queryable, resourceType: string, id: string, visibility: Visibility): Promise<StoredResource> {
    const sql = new SqlBuilder();
    const where = `r.resource_type = ${sql.add(resourceType)} AND r.id = ${sql.add(id)}`;
    const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM resource r WHERE ${where} AND ${visible(sql, visibility)}`, sql.params);
    const [row] = rows;
    if (!row) {
      throw notFound(`${resourceType}/${id} was not found.`);
    }
    return toStored(row);
  }

  async vread(db: Queryable, resourceType: string, id: string, versionId: number, visibility: Visibility): Promise<StoredResource> {
    const sql = new SqlBuilder();
    const where = `r.resource_type = ${sql.add(resourceType)} AND r.id = ${sql.add(id)} AND r.version_id = ${sql.add(versionId)}`;
    const { rows } = await db.query<Row>(
      `SELECT ${COLUMNS} FROM resource_history r WHERE ${where} AND ${visible(sql, visibility)} AND ${currentVisible(sql, visibility)}`,
      sql.params,
    );
    const [row] = rows;
    if (!row) {
      throw notFound(`${resourceType}/${id} has no version ${versionId}.`);
    }
    return toStored(row);
  }

  private async searchMatches(db: Queryable, search: ParsedSearch, visibility: Visibility, extra = 0): Promise<StoredResource[]> {
    if (search.sort.length === 0 && search.criteria.some((c) => c.definition.type === 'string')) {
      return this.searchByStringIndex(db, search, visibility, extra);
    }
    const sql = new SqlBuilder();
    const conditions = [`r.resource_type = ${sql.add(search.resourceType)}`, ...search.criteria.map((c) => criterionSql(sql, c))];
    conditions.push(visible(sql, visibility));
    const order = sortSql(sql, search.sort);
    const limit = sql.add(search.count + extra);
    const offset = sql.add(search.offset);
    // Page the ids first, then read the content of that page only: a common name prefix matches
    // thousands of patients, and sorting their whole documents to keep twenty is the slow part.
    const { rows } = await db.query<Row>(
      `SELECT ${COLUMNS} FROM (
         SELECT r.resource_type AS t, r.id AS i, row_number() OVER (ORDER BY ${order}) AS n
         FROM resource r WHERE ${conditions.join(' AND ')}
         ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}
       ) page
       JOIN resource r ON r.resource_type = page.t AND r.id = page.i
       ORDER BY page.n`,
      sql.params,
    );
    return rows.map(toStored);
  }

  /**
   * A search with a string criterion (the name search the workstation sends at each keystroke) in
   * the default order (by id). A common prefix matches thousands of patients; probing `resource`
   * for each of them to sort and keep twenty was the slow part. Here the ids come from the string
   * index alone (repeated parameters intersected, each patient once), sorted, and `resource` is
   * read by primary key in that order only until the page is full: the other criteria and the
   * visibility condition are checked on those rows, so the answer is the same set in the same
   * order as the general query's.
   */
  private async searchByStringIndex(db: Queryable, search: ParsedSearch, visibility: Visibility, extra: number): Promise<StoredResource[]> {
    const sql = new SqlBuilder();
    const type = sql.add(search.resourceType);
    const strings = search.criteria.filter((c) => c.definition.type === 'string');
    // Each patient once: INTERSECT removes duplicates itself, a single criterion needs DISTINCT
    // (a name's whole value and each of its words are rows of their own).
    const select = strings.length === 1 ? 'SELECT DISTINCT s.id' : 'SELECT s.id';
    const ids = `${strings
      .map((criterion) => `${select} FROM search_string s WHERE s.resource_type = ${type} AND ${stringCriterionSql(sql, criterion)}`)
      .join(' INTERSECT ')} ORDER BY 1`;
    const conditions = search.criteria.filter((c) => c.definition.type !== 'string').map((c) => criterionSql(sql, c));
    conditions.push(visible(sql, visibility));
    // LIMIT 1 (the primary key gives at most one row anyway) keeps the lookup a parameterised
    // probe per candidate: the planner can not turn it into a join over the whole table, so the
    // scan stops at the page's last row whatever the planner's (on PGlite: absent) statistics say.
    const { rows } = await db.query<Row>(
      `SELECT ${COLUMNS} FROM (${ids}) AS c(id)
       CROSS JOIN LATERAL (
         SELECT ${COLUMNS} FROM resource r
         WHERE r.resource_type = ${type} AND r.id = c.id AND ${conditions.join(' AND ')}
         LIMIT 1
       ) r
       ORDER BY c.id LIMIT ${sql.add(search.count + extra)} OFFSET ${sql.add(search.offset)}`,
      sql.params,
    );
    return rows.map(toStored);
  }

  private async count(db: Queryable, search: ParsedSearch, visibility: Visibility): Promise<number> {
    const sql = new SqlBuilder();
    const conditions = [`r.resource_type = ${sql.add(search.resourceType)}`, ...search.criteria.map((c) => criterionSql(sql, c))];
    conditions.push(visible(sql, visibility));
    const { rows } = await db.query<{ total: number | string }>(
      `SELECT count(*) AS total FROM resource r WHERE ${conditions.join(' AND ')}`,
      sql.params,
    );
    return Number(rows[0]?.total ?? 0);
  }

  /** Resources the matches refer to through the _include parameters (visible ones only). */
  private async included(db: Queryable, search: ParsedSearch, matches: StoredResource[], visibility: Visibility): Promise<StoredResource[]> {
    if (search.includes.length === 0 || matches.length === 0) {
      return [];
    }
    const sql = new SqlBuilder();
    const ids = sql.add(matches.map((m) => m.id));
    const type = sql.add(search.resourceType);
    const includeConditions = search.includes.map(
      (include) =>
        `(sr.param = ${sql.add(include.param)}${include.targetType ? ` AND sr.target_type = ${sql.add(include.targetType)}` : ''})`,
    );
    const { rows } = await db.query<Row>(
      `SELECT DISTINCT ${COLUMNS} FROM resource r
       JOIN search_reference sr ON sr.target_type = r.resource_type AND sr.target_id = r.id
       WHERE sr.resource_type = ${type} AND sr.id = ANY(${ids}::text[]) AND (${includeConditions.join(' OR ')})
         AND ${visible(sql, visibility)}`,
      sql.params,
    );
    const matched = new Set(matches.map((m) => `${m.resourceType}/${m.id}`));
    return rows.map(toStored).filter((r) => !matched.has(`${r.resourceType}/${r.id}`));
  }

  async search(db: Queryable, search: ParsedSearch, visibility: Visibility): Promise<SearchResult> {
    const page = await this.searchMatches(db, search, visibility, 1);
    const hasMore = page.length > search.count;
    const matches = hasMore ? page.slice(0, search.count) : page;
    // Counting every match costs a second pass over them; as-you-type searches do not need it.
    const lastPage = !hasMore && (search.offset === 0 || matches.length > 0);
    const total =
      search.total === 'none'
        ? undefined
        : lastPage
          ? search.offset + matches.length
          : search.total === 'accurate'
            ? await this.count(db, search, visibility)
            : undefined;
    return {
      matches,
      includes: await this.included(db, search, matches, visibility),
      total,
      nextOffset: hasMore && search.count > 0 ? search.offset + search.count : undefined,
      search,
    };
  }

  /** History, newest first; `before` is the position cursor of the page before. */
  async history(db: Queryable, query: HistoryQuery, visibility: Visibility): Promise<{ entries: HistoryEntry[]; nextBefore: number | undefined }> {
    const sql = new SqlBuilder();
    const conditions: string[] = [];
    if (query.resourceType) {
      conditions.push(`r.resource_type = ${sql.add(query.resourceType)}`);
    }
    if (query.id) {
      conditions.push(`r.id = ${sql.add(query.id)}`);
    }
    if (query.since) {
      conditions.push(`r.last_updated >= ${sql.add(query.since.toISOString())}::timestamptz`);
    }
    if (query.before !== undefined) {
      conditions.push(`r.seq < ${sql.add(query.before)}`);
    }
    conditions.push(visible(sql, visibility), currentVisible(sql, visibility));
    const { rows } = await db.query<Row & { seq: number | string; method: 'POST' | 'PUT' }>(
      `SELECT r.seq, r.method, ${COLUMNS} FROM resource_history r WHERE ${conditions.join(' AND ')}
       ORDER BY r.seq DESC LIMIT ${sql.add(query.count + 1)}`,
      sql.params,
    );
    const hasMore = rows.length > query.count;
    const entries = rows.slice(0, query.count).map((row) => ({ ...toStored(row), method: row.method, seq: Number(row.seq) }));
    return { entries, nextBefore: hasMore ? entries.at(-1)?.seq : undefined };
  }

  /** The patient and every resource in their compartment (AuditEvents excepted), optionally since a time. */
  async everything(db: Queryable, patientId: string, since: Date | undefined, visibility: Visibility): Promise<StoredResource[]> {
    const patient = await this.read(db, 'Patient', patientId, visibility);
    const sql = new SqlBuilder();
    const target = sql.add(patientId);
    const sinceCondition = since ? ` AND r.last_updated >= ${sql.add(since.toISOString())}::timestamptz` : '';
    const { rows } = await db.query<Row>(
      `SELECT ${COLUMNS} FROM resource r
       WHERE (r.resource_type, r.id) IN (
         SELECT sr.resource_type, sr.id FROM search_reference sr
         WHERE sr.target_type = 'Patient' AND sr.target_id = ${target} AND sr.param = 'patient' AND sr.resource_type <> 'AuditEvent')
       ${sinceCondition} AND ${visible(sql, visibility)}
       ORDER BY r.resource_type, r.last_updated`,
      sql.params,
    );
    const compartment = rows.map(toStored);
    return since && patient.lastUpdated < since ? compartment : [patient, ...compartment];
  }

  /**
   * Bulk load of new resources with the ids they bring (seeding, imports): the same rows as
   * `create`, written with one statement per table for the whole batch. Refuses ids that exist.
   */
  async bulkCreate(tx: Queryable, resources: readonly Json[]): Promise<number> {
    if (resources.length === 0) {
      return 0;
    }
    const lastUpdated = this.now();
    const stamped = resources.map((resource) => {
      const { resourceType, id } = resource;
      if (typeof resourceType !== 'string' || typeof id !== 'string') {
        throw new FhirError(400, 'required', 'Every imported resource needs resourceType and id.');
      }
      return this.stamp(resource, resourceType, id, 1, lastUpdated);
    });
    const types = stamped.map((r) => r.resourceType as string);
    const ids = stamped.map((r) => r.id as string);
    const { rows: clashes } = await tx.query<{ resource_type: string; id: string }>(
      'SELECT r.resource_type, r.id FROM resource r JOIN unnest($1::text[], $2::text[]) AS n(t, i) ON r.resource_type = n.t AND r.id = n.i LIMIT 1',
      [types, ids],
    );
    if (clashes[0]) {
      throw new FhirError(409, 'duplicate', `${clashes[0].resource_type}/${clashes[0].id} is already in the journal; nothing in this batch was stored.`);
    }
    const contents = stamped.map((r) => JSON.stringify(r));
    const at = lastUpdated.toISOString();
    await tx.query(
      `INSERT INTO resource (resource_type, id, version_id, last_updated, content)
       SELECT t, i, 1, $3::timestamptz, c::jsonb FROM unnest($1::text[], $2::text[], $4::text[]) AS n(t, i, c)`,
      [types, ids, at, contents],
    );
    await tx.query(
      `INSERT INTO resource_history (resource_type, id, version_id, last_updated, method, content)
       SELECT t, i, 1, $3::timestamptz, 'POST', c::jsonb FROM unnest($1::text[], $2::text[], $4::text[]) AS n(t, i, c)`,
      [types, ids, at, contents],
    );
    const tokens: unknown[][] = [[], [], [], [], []];
    const strings: unknown[][] = [[], [], [], []];
    const dates: unknown[][] = [[], [], [], [], []];
    const references: unknown[][] = [[], [], [], [], []];
    const push = (columns: unknown[][], values: unknown[]): void => values.forEach((value, index) => columns[index]?.push(value));
    stamped.forEach((resource, index) => {
      const type = types[index] ?? '';
      const id = ids[index] ?? '';
      const rows = extractIndexRows(type, resource);
      rows.tokens.forEach((t) => push(tokens, [type, id, t.param, t.system, t.code]));
      rows.strings.forEach((t) => push(strings, [type, id, t.param, t.value]));
      rows.dates.forEach((t) => push(dates, [type, id, t.param, t.lo.toISOString(), t.hi.toISOString()]));
      rows.references.forEach((t) => push(references, [type, id, t.param, t.targetType, t.targetId]));
    });
    await tx.query(
      'INSERT INTO search_token (resource_type, id, param, system, code) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])',
      tokens,
    );
    await tx.query('INSERT INTO search_string (resource_type, id, param, value) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])', strings);
    await tx.query(
      'INSERT INTO search_date (resource_type, id, param, lo, hi) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[])',
      dates,
    );
    await tx.query(
      'INSERT INTO search_reference (resource_type, id, param, target_type, target_id) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])',
      references,
    );
    for (const [index, resource] of stamped.entries()) {
      await writeBlockRows(tx, types[index] ?? '', ids[index] ?? '', resource, { replace: false });
    }
    return stamped.length;
  }

  /** Which of these `Type/id` keys are not in the journal: one query for a whole bundle's references. */
  async missing(db: Queryable, keys: readonly string[]): Promise<string[]> {
    if (keys.length === 0) {
      return [];
    }
    const pairs = keys.map((key) => key.split('/'));
    const { rows } = await db.query<{ t: string; i: string }>(
      `SELECT n.t, n.i FROM unnest($1::text[], $2::text[]) AS n(t, i)
       WHERE NOT EXISTS (SELECT 1 FROM resource r WHERE r.resource_type = n.t AND r.id = n.i)`,
      [pairs.map((p) => p[0] ?? ''), pairs.map((p) => p[1] ?? '')],
    );
    return rows.map((row) => `${row.t}/${row.i}`);
  }

  /** The patient whose compartment a resource is in, from the index (for a Provenance's target). */
  async patientOfResource(db: Queryable, resourceType: string, id: string): Promise<string | undefined> {
    const { rows } = await db.query<{ target_id: string }>(
      "SELECT target_id FROM search_reference WHERE resource_type = $1 AND id = $2 AND param = 'patient' AND target_type = 'Patient' LIMIT 1",
      [resourceType, id],
    );
    return rows[0]?.target_id;
  }

  /** Whether a resource exists (for reference checks inside a transaction). */
  async exists(db: Queryable, resourceType: string, id: string): Promise<boolean> {
    const { rows } = await db.query('SELECT 1 FROM resource WHERE resource_type = $1 AND id = $2', [resourceType, id]);
    return rows.length > 0;
  }
}
