import { normaliseForSearch } from '../../shared/terminology/normalise';
import { parseFhirDateRange, periodRange, type DateRange } from './fhir-date';
import { isObject, valuesAt, type Json } from './json-path';
import { searchParameters, type SearchParamDefinition } from './search-parameters';

/** What one resource version contributes to the index tables. */
export interface IndexRows {
  tokens: { param: string; system: string | null; code: string }[];
  strings: { param: string; value: string }[];
  dates: { param: string; lo: Date; hi: Date }[];
  references: { param: string; targetType: string; targetId: string }[];
}

const tokenValues = (value: unknown): { system: string | null; code: string }[] => {
  if (typeof value === 'string') {
    return [{ system: null, code: value }];
  }
  if (typeof value === 'boolean') {
    return [{ system: null, code: String(value) }];
  }
  if (!isObject(value)) {
    return [];
  }
  if (Array.isArray(value.coding)) {
    return (value.coding as unknown[]).flatMap(tokenValues);
  }
  const system = typeof value.system === 'string' ? value.system : null;
  if (typeof value.code === 'string') {
    return [{ system, code: value.code }];
  }
  // Identifier: system|value.
  if (typeof value.value === 'string') {
    return [{ system, code: value.value }];
  }
  return [];
};

/**
 * An Identifier is indexed as system|value and nothing else: read as a generic token, an extra
 * `code` or `coding` property would be indexed instead of the value and so slip past the unique
 * index on national ids (a second record for the same person).
 */
const identifierValues = (value: unknown): { system: string | null; code: string }[] =>
  isObject(value) && typeof value.value === 'string' ? [{ system: typeof value.system === 'string' ? value.system : null, code: value.value }] : [];

const dateValues = (value: unknown): DateRange[] => {
  if (typeof value === 'string') {
    const range = parseFhirDateRange(value);
    return range ? [range] : [];
  }
  if (isObject(value)) {
    const range = periodRange(
      typeof value.start === 'string' ? value.start : undefined,
      typeof value.end === 'string' ? value.end : undefined,
    );
    return range ? [range] : [];
  }
  return [];
};

/** "Patient/123" (relative, as this server stores them); anything else is not indexed. */
export const parseReference = (value: unknown): { targetType: string; targetId: string } | undefined => {
  const reference = isObject(value) ? value.reference : undefined;
  if (typeof reference !== 'string') {
    return undefined;
  }
  const match = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9\-.]{1,64})(?:\/_history\/[A-Za-z0-9\-.]{1,64})?$/.exec(reference);
  return match?.[1] && match[2] ? { targetType: match[1], targetId: match[2] } : undefined;
};

const add = (rows: IndexRows, definition: SearchParamDefinition, resource: Json): void => {
  for (const path of definition.paths) {
    for (const value of valuesAt(resource, path)) {
      switch (definition.type) {
        case 'token':
          rows.tokens.push(...(path === 'identifier' ? identifierValues(value) : tokenValues(value)).map((t) => ({ param: definition.name, ...t })));
          break;
        case 'string':
          if (typeof value === 'string' && value.trim() !== '') {
            // The whole value and each word of it, so "anne" finds "Kari Anne" and "Kari-Anne".
            const folded = normaliseForSearch(value);
            for (const part of new Set([folded, ...folded.split(/[\s-]+/).filter((word) => word !== '')])) {
              rows.strings.push({ param: definition.name, value: part });
            }
          }
          break;
        case 'date':
          rows.dates.push(...dateValues(value).map((range) => ({ param: definition.name, ...range })));
          break;
        case 'reference': {
          const target = parseReference(value);
          if (target && (!definition.targets || definition.targets.includes(target.targetType))) {
            rows.references.push({ param: definition.name, ...target });
          }
          break;
        }
        default: {
          const unexpected: never = definition.type;
          throw new Error(`unknown search parameter type ${String(unexpected)}`);
        }
      }
    }
  }
};

export const extractIndexRows = (resourceType: string, resource: Json): IndexRows => {
  const rows: IndexRows = { tokens: [], strings: [], dates: [], references: [] };
  for (const definition of searchParameters[resourceType] ?? []) {
    add(rows, definition, resource);
  }
  // The same identifier written twice in one resource is one row: otherwise it would collide with
  // itself on the unique national-id index and be refused as a duplicate of another record.
  const seen = new Set<string>();
  rows.tokens = rows.tokens.filter((token) => {
    const key = JSON.stringify([token.param, token.system, token.code]);
    return seen.has(key) ? false : (seen.add(key), true);
  });
  return rows;
};
