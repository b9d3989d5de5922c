/**
 * Two versions of a FHIR resource side by side, field by field: what the conflict dialog shows.
 * Pure: no React, no contract. Values come back as text, never as markup.
 */
export interface DiffRow {
  /** Where the field sits, FHIRPath-like: `code.coding[0].display`. */
  path: string;
  /** The field's value in my version as text, or undefined when my version lacks it. */
  mine: string | undefined;
  /** The same in their version (the journal's). */
  theirs: string | undefined;
  changed: boolean;
}

/** Fields that say nothing about the content: the journal rewrites them on every save. */
const ignoredTopLevel = new Set(['meta']);

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A leaf as the clinician reads it: strings as they are, everything else as JSON. */
export const leafText = (value: unknown): string | undefined => {
  if (value === undefined) {
    return undefined;
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
};

const sameLeaf = (a: unknown, b: unknown): boolean => {
  if (typeof a !== typeof b) {
    return false;
  }
  // Containers only reach here when the two sides are of different kinds (or empty).
  return typeof a === 'object' && a !== null ? JSON.stringify(a) === JSON.stringify(b) : Object.is(a, b);
};

/** A field's own value: `obj["__proto__"]` on an object without one is Object.prototype, not "missing". */
const own = (object: Record<string, unknown>, key: string): unknown => (Object.hasOwn(object, key) ? object[key] : undefined);

const childPath = (parent: string, key: string): string => (parent === '' ? key : `${parent}.${key}`);

const filled = (value: unknown): boolean =>
  (Array.isArray(value) && value.length > 0) || (isPlainObject(value) && Object.keys(value).length > 0);

const walk = (mine: unknown, theirs: unknown, path: string, rows: DiffRow[], top: boolean): void => {
  if (mine === undefined && theirs === undefined) {
    return;
  }
  const objectOrNothing = (value: unknown): boolean => value === undefined || isPlainObject(value);
  const arrayOrNothing = (value: unknown): boolean => value === undefined || Array.isArray(value);
  // Descend while both sides are the same kind of container and one has something in it; an
  // empty container, or a kind that differs between the sides, is a leaf of its own.
  if (objectOrNothing(mine) && objectOrNothing(theirs) && (filled(mine) || filled(theirs))) {
    const a = (mine ?? {}) as Record<string, unknown>;
    const b = (theirs ?? {}) as Record<string, unknown>;
    // Their order first (the journal's), then what only my version has.
    const keys = [...Object.keys(b), ...Object.keys(a).filter((key) => !Object.hasOwn(b, key))];
    for (const key of keys) {
      if (!(top && ignoredTopLevel.has(key))) {
        walk(own(a, key), own(b, key), childPath(path, key), rows, false);
      }
    }
    return;
  }
  if (arrayOrNothing(mine) && arrayOrNothing(theirs) && (filled(mine) || filled(theirs))) {
    const a = (mine ?? []) as unknown[];
    const b = (theirs ?? []) as unknown[];
    for (let index = 0; index < Math.max(a.length, b.length); index += 1) {
      walk(a[index], b[index], `${path}[${index}]`, rows, false);
    }
    return;
  }
  rows.push({ path, mine: leafText(mine), theirs: leafText(theirs), changed: !sameLeaf(mine, theirs) });
};

/**
 * Field rows of two resources, in the journal's field order, `meta` left out. A side that is not
 * an object (a deletion, say) reads as having no fields.
 */
export const diffResources = (mine: unknown, theirs: unknown): DiffRow[] => {
  const rows: DiffRow[] = [];
  walk(isPlainObject(mine) ? mine : undefined, isPlainObject(theirs) ? theirs : undefined, '', rows, true);
  return rows;
};
