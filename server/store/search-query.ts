import { parseFhirDateRange, type DateRange } from '../fhir/fhir-date';
import { badRequest, FhirError } from '../fhir/operation-outcome';
import { findParameter, isSupportedType, type SearchParamDefinition } from '../fhir/search-parameters';
import { normaliseForSearch } from '../../shared/terminology/normalise';

/**
 * Parses a FHIR search query into criteria and turns criteria into SQL. Strict handling: an
 * unknown parameter, modifier, prefix or malformed value is a 400 with a precise message, never a
 * silently broader answer.
 */
export type DatePrefix = 'eq' | 'ne' | 'gt' | 'lt' | 'ge' | 'le' | 'sa' | 'eb';

export type CriterionValue =
  | { kind: 'token'; system: string | null | undefined; code: string | undefined }
  | { kind: 'string'; prefix: string }
  | { kind: 'date'; prefix: DatePrefix; range: DateRange }
  | { kind: 'reference'; targetType: string | undefined; targetId: string };

export interface Criterion {
  definition: SearchParamDefinition;
  /** OR-ed (comma-separated values); repeated parameters are separate criteria, AND-ed. */
  values: CriterionValue[];
}

export interface SortKey {
  definition: SearchParamDefinition;
  descending: boolean;
}

export interface IncludeSpec {
  param: string;
  targetType: string | undefined;
}

export interface ParsedSearch {
  resourceType: string;
  criteria: Criterion[];
  sort: SortKey[];
  includes: IncludeSpec[];
  count: number;
  offset: number;
  /**
   * accurate: always count (a second query when there are more pages); estimate (the default):
   * the exact total when it comes free (this is the last page), none otherwise; none: never.
   */
  total: 'accurate' | 'estimate' | 'none';
}

export const DEFAULT_COUNT = 50;
export const MAX_COUNT = 1000;

/** Parameters that steer the result rather than filter it. */
const RESULT_PARAMS = new Set(['_count', '_offset', '_sort', '_include', '_total', '_format']);

const DATE_PREFIXES: DatePrefix[] = ['eq', 'ne', 'gt', 'lt', 'ge', 'le', 'sa', 'eb'];

/** Splits on commas not escaped with a backslash (FHIR search escaping); escapes stay for now. */
const splitValues = (raw: string): string[] => raw.split(/(?<!\\),/).filter((value) => value !== '');

const unescape = (value: string): string => value.replace(/\\([,$|\\])/g, '$1');

/** Limits that keep one request from asking the database for unbounded work. */
export const MAX_VALUES_PER_PARAMETER = 100;
export const MAX_PARAMETERS = 40;
export const MAX_INCLUDES = 10;
export const MAX_SORT_KEYS = 4;

const parseValue = (definition: SearchParamDefinition, raw: string): CriterionValue => {
  switch (definition.type) {
    case 'token': {
      // The separator is the first | not escaped as \|; each side is unescaped after the split.
      const bar = raw.search(/(?<!\\)\|/);
      if (bar < 0) {
        return { kind: 'token', system: undefined, code: unescape(raw) };
      }
      const system = unescape(raw.slice(0, bar));
      const code = unescape(raw.slice(bar + 1));
      if (system === '' && code === '') {
        throw badRequest(`"${definition.name}=|" needs a system or a code.`);
      }
      return { kind: 'token', system: system === '' ? null : system, code: code === '' ? undefined : code };
    }
    case 'string': {
      const prefix = normaliseForSearch(unescape(raw));
      if (prefix.trim() === '') {
        throw badRequest(`"${definition.name}" needs at least one letter or digit.`);
      }
      return { kind: 'string', prefix };
    }
    case 'date': {
      const prefixMatch = /^(eq|ne|gt|lt|ge|le|sa|eb)/.exec(raw);
      const prefix = (prefixMatch?.[1] as DatePrefix | undefined) ?? 'eq';
      const value = prefixMatch ? raw.slice(2) : raw;
      const range = parseFhirDateRange(value);
      if (!range) {
        throw badRequest(
          `"${definition.name}=${raw}" is not a FHIR date (YYYY, YYYY-MM, YYYY-MM-DD or a dateTime with time zone), with an optional prefix ${DATE_PREFIXES.join(', ')}.`,
        );
      }
      return { kind: 'date', prefix, range };
    }
    case 'reference': {
      const match = /^(?:([A-Z][A-Za-z]+)\/)?([A-Za-z0-9\-.]{1,64})$/.exec(raw);
      if (!match?.[2]) {
        throw badRequest(`"${definition.name}=${raw}" is not a reference (Type/id or id).`);
      }
      const targetType = match[1] ?? (definition.targets?.length === 1 ? definition.targets[0] : undefined);
      if (targetType && definition.targets && !definition.targets.includes(targetType)) {
        throw badRequest(`"${definition.name}" refers to ${definition.targets.join(' or ')}, not ${targetType}.`);
      }
      return { kind: 'reference', targetType, targetId: match[2] };
    }
    default: {
      const unexpected: never = definition.type;
      throw new Error(`unknown parameter type ${String(unexpected)}`);
    }
  }
};

const parseCount = (raw: string | undefined): number => {
  if (raw === undefined) {
    return DEFAULT_COUNT;
  }
  const count = Number(raw);
  if (!Number.isInteger(count) || count < 0 || count > MAX_COUNT) {
    throw badRequest(`_count must be a whole number from 0 to ${MAX_COUNT}.`);
  }
  return count;
};

const parseOffset = (raw: string | undefined): number => {
  const offset = raw === undefined ? 0 : Number(raw);
  if (!Number.isInteger(offset) || offset < 0 || offset > 100_000) {
    throw badRequest('_offset must be a whole number from 0 to 100000.');
  }
  return offset;
};

export const parseSearch = (resourceType: string, query: ReadonlyArray<[string, string]>): ParsedSearch => {
  if (query.length > MAX_PARAMETERS) {
    throw new FhirError(400, 'too-costly', `A search may have at most ${MAX_PARAMETERS} parameters.`);
  }
  const criteria: Criterion[] = [];
  const sort: SortKey[] = [];
  const includes: IncludeSpec[] = [];
  const single = new Map<string, string>();
  for (const [key, raw] of query) {
    if (RESULT_PARAMS.has(key)) {
      if (key === '_include') {
        const [sourceType, param, targetType] = raw.split(':');
        const definition = param ? findParameter(resourceType, param) : undefined;
        if (sourceType !== resourceType || !definition || definition.type !== 'reference') {
          throw badRequest(`_include=${raw} is not supported: use ${resourceType}:<reference parameter>[:TargetType].`);
        }
        if (targetType !== undefined && !definition.targets?.includes(targetType) && !isSupportedType(targetType)) {
          throw badRequest(`_include=${raw}: ${targetType} is not a resource type.`);
        }
        includes.push({ param: definition.name, targetType });
        if (includes.length > MAX_INCLUDES) {
          throw new FhirError(400, 'too-costly', `At most ${MAX_INCLUDES} _include parameters.`);
        }
        continue;
      }
      if (key === '_sort') {
        for (const part of raw.split(',')) {
          const descending = part.startsWith('-');
          const name = descending ? part.slice(1) : part;
          const definition = findParameter(resourceType, name);
          if (!definition || definition.type === 'reference' || definition.type === 'token' && name !== '_id') {
            throw badRequest(`_sort=${part} is not supported for ${resourceType}: sort by _id, _lastUpdated, a date or a string parameter.`);
          }
          sort.push({ definition, descending });
        }
        if (sort.length > MAX_SORT_KEYS) {
          throw new FhirError(400, 'too-costly', `_sort takes at most ${MAX_SORT_KEYS} keys.`);
        }
        continue;
      }
      if (single.has(key)) {
        throw badRequest(`${key} may be given only once.`);
      }
      single.set(key, raw);
      continue;
    }
    const [name = '', modifier] = key.split(':');
    const definition = findParameter(resourceType, name);
    if (!definition) {
      throw badRequest(`Unknown search parameter "${name}" for ${resourceType}. The CapabilityStatement (/metadata) lists the supported ones.`);
    }
    if (modifier !== undefined) {
      throw badRequest(`The modifier ":${modifier}" on "${name}" is not supported.`);
    }
    const rawValues = splitValues(raw);
    if (rawValues.length > MAX_VALUES_PER_PARAMETER) {
      throw new FhirError(400, 'too-costly', `"${name}" may have at most ${MAX_VALUES_PER_PARAMETER} comma-separated values.`);
    }
    const values = rawValues.map((value) => parseValue(definition, value));
    if (values.length === 0) {
      throw badRequest(`"${name}" has no value.`);
    }
    criteria.push({ definition, values });
  }
  const format = single.get('_format');
  if (format !== undefined && !/json/.test(format)) {
    throw badRequest('Only JSON is supported (_format=json).');
  }
  const total = single.get('_total') ?? 'estimate';
  if (total !== 'accurate' && total !== 'estimate' && total !== 'none') {
    throw badRequest('_total must be "accurate", "estimate" or "none".');
  }
  return {
    resourceType,
    criteria,
    sort,
    includes,
    count: parseCount(single.get('_count')),
    offset: parseOffset(single.get('_offset')),
    total,
  };
};

/** Builds SQL with numbered parameters; `add` returns the placeholder for a value. */
export class SqlBuilder {
  readonly params: unknown[] = [];
  add(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }
}

const escapeLike = (value: string): string => value.replace(/[\\%_]/g, (c) => `\\${c}`);

const dateCondition = (sql: SqlBuilder, lo: string, hi: string, prefix: DatePrefix, range: DateRange): string => {
  // Each bound is added only where it is used: PostgreSQL can not type an unused parameter.
  const qlo = (): string => `${sql.add(range.lo.toISOString())}::timestamptz`;
  const qhi = (): string => `${sql.add(range.hi.toISOString())}::timestamptz`;
  switch (prefix) {
    case 'eq':
      return `(${lo} >= ${qlo()} AND ${hi} <= ${qhi()})`;
    case 'ne':
      return `NOT (${lo} >= ${qlo()} AND ${hi} <= ${qhi()})`;
    case 'gt':
      return `${hi} > ${qhi()}`;
    case 'ge':
      return `${hi} > ${qlo()}`;
    case 'lt':
      return `${lo} < ${qlo()}`;
    case 'le':
      return `${lo} < ${qhi()}`;
    case 'sa':
      return `${lo} >= ${qhi()}`;
    case 'eb':
      return `${hi} <= ${qlo()}`;
    default: {
      const unexpected: never = prefix;
      throw new Error(`unknown prefix ${String(unexpected)}`);
    }
  }
};

/**
 * A string criterion as a condition on search_string rows aliased `s` (comma-separated values
 * OR-ed), for choosing candidate ids from the prefix index without the resource row.
 */
export const stringCriterionSql = (sql: SqlBuilder, criterion: Criterion): string => {
  const param = sql.add(criterion.definition.name);
  const prefixes = criterion.values.map((value) => {
    if (value.kind !== 'string') {
      throw new Error(`${criterion.definition.name} is not a string parameter`);
    }
    return `s.value LIKE ${sql.add(`${escapeLike(value.prefix)}%`)}`;
  });
  return `s.param = ${param} AND ${prefixes.length === 1 ? (prefixes[0] ?? 'TRUE') : `(${prefixes.join(' OR ')})`}`;
};

/** One criterion as a condition on the resource row aliased `r`. */
export const criterionSql = (sql: SqlBuilder, criterion: Criterion): string => {
  const { definition } = criterion;
  const param = definition.name;
  const alternatives = criterion.values.map((value) => {
    switch (value.kind) {
      case 'token': {
        if (param === '_id') {
          return `r.id = ${sql.add(value.code ?? '')}`;
        }
        const parts: string[] = [];
        if (value.code !== undefined) {
          parts.push(`s.code = ${sql.add(value.code)}`);
        }
        if (value.system === null) {
          parts.push('s.system IS NULL');
        } else if (value.system !== undefined) {
          parts.push(`s.system = ${sql.add(value.system)}`);
        }
        return `EXISTS (SELECT 1 FROM search_token s WHERE s.resource_type = r.resource_type AND s.id = r.id AND s.param = ${sql.add(param)} AND ${parts.join(' AND ')})`;
      }
      case 'string':
        return `EXISTS (SELECT 1 FROM search_string s WHERE s.resource_type = r.resource_type AND s.id = r.id AND s.param = ${sql.add(param)} AND s.value LIKE ${sql.add(`${escapeLike(value.prefix)}%`)})`;
      case 'date':
        if (param === '_lastUpdated') {
          return dateCondition(sql, 'r.last_updated', "(r.last_updated + interval '1 millisecond')", value.prefix, value.range);
        }
        return `EXISTS (SELECT 1 FROM search_date s WHERE s.resource_type = r.resource_type AND s.id = r.id AND s.param = ${sql.add(param)} AND ${dateCondition(sql, 's.lo', 's.hi', value.prefix, value.range)})`;
      case 'reference': {
        const typeCondition = value.targetType ? ` AND s.target_type = ${sql.add(value.targetType)}` : '';
        return `EXISTS (SELECT 1 FROM search_reference s WHERE s.resource_type = r.resource_type AND s.id = r.id AND s.param = ${sql.add(param)} AND s.target_id = ${sql.add(value.targetId)}${typeCondition})`;
      }
      default: {
        const unexpected: never = value;
        throw new Error(`unknown criterion ${JSON.stringify(unexpected)}`);
      }
    }
  });
  return alternatives.length === 1 ? (alternatives[0] ?? 'TRUE') : `(${alternatives.join(' OR ')})`;
};

export const sortSql = (sql: SqlBuilder, sort: SortKey[]): string => {
  const keys = sort.map(({ definition, descending }) => {
    const direction = descending ? 'DESC' : 'ASC';
    if (definition.name === '_id') {
      return `r.id ${direction}`;
    }
    if (definition.name === '_lastUpdated') {
      return `r.last_updated ${direction}`;
    }
    const param = sql.add(definition.name);
    const expression =
      definition.type === 'date'
        ? `(SELECT ${descending ? 'max(s.hi)' : 'min(s.lo)'} FROM search_date s WHERE s.resource_type = r.resource_type AND s.id = r.id AND s.param = ${param})`
        : `(SELECT ${descending ? 'max' : 'min'}(s.value) FROM search_string s WHERE s.resource_type = r.resource_type AND s.id = r.id AND s.param = ${param})`;
    return `${expression} ${direction} NULLS LAST`;
  });
  // A stable order across pages: the last key is always the id.
  return [...keys, 'r.id ASC'].join(', ');
};
