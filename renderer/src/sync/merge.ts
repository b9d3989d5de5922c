import { fhirResourceSchema, writableResourceTypes, type FhirResourceValue } from '../../../shared/contract';

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const overlay = (theirs: unknown, mine: unknown): unknown => {
  if (mine === undefined) {
    return theirs;
  }
  if (!isPlainObject(theirs) || !isPlainObject(mine)) {
    // Lists are taken whole: merging a list item by item could pair the wrong entries.
    return mine;
  }
  const result: Record<string, unknown> = { ...theirs };
  for (const [key, value] of Object.entries(mine)) {
    // An own property even for "__proto__" (JSON.parse makes it one): assignment would set the
    // object's prototype instead and the field would vanish from the merge.
    Object.defineProperty(result, key, { value: overlay(Object.hasOwn(theirs, key) ? theirs[key] : undefined, value), enumerable: true, writable: true, configurable: true });
  }
  return result;
};

/**
 * Where the merge editor starts: their version, with every field where my version has a value of
 * its own taken from mine. Without the version both started from, nobody can tell whether a field
 * only theirs has was added by them or removed by me, so such fields stay (the clinician removes
 * them in the editor if they should go). Their resourceType, id and meta are kept as they are.
 */
export const startMerge = (mine: unknown, theirs: FhirResourceValue): FhirResourceValue => {
  if (!isPlainObject(mine)) {
    return theirs;
  }
  const { resourceType: _type, id: _id, meta: _meta, ...content } = mine;
  return { ...(overlay(theirs, content) as FhirResourceValue), resourceType: theirs.resourceType, ...(theirs.id === undefined ? {} : { id: theirs.id }), ...(theirs.meta === undefined ? {} : { meta: theirs.meta }) };
};

/** The merge editor's text, pretty-printed as the clinician edits it. */
export const mergeText = (resource: FhirResourceValue): string => JSON.stringify(resource, null, 2);

export type MergeProblem = 'invalidJson' | 'notAnObject' | 'resourceType' | 'id' | 'invalidResource';

export type MergeCheck = { ok: true; resource: FhirResourceValue } | { ok: false; problem: MergeProblem };

/**
 * What the editor may send: JSON, one object, the conflict's own resource type and id, and a
 * resource the contract accepts. Anything else stays in the editor with a message.
 */
export const checkMerge = (text: string, conflict: { resourceType: string; resourceId: string }): MergeCheck => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, problem: 'invalidJson' };
  }
  if (!isPlainObject(value)) {
    return { ok: false, problem: 'notAnObject' };
  }
  if (value.resourceType !== conflict.resourceType) {
    return { ok: false, problem: 'resourceType' };
  }
  if (value.id !== conflict.resourceId) {
    return { ok: false, problem: 'id' };
  }
  const parsed = fhirResourceSchema.safeParse(value);
  if (!parsed.success || !(writableResourceTypes as readonly string[]).includes(parsed.data.resourceType)) {
    return { ok: false, problem: 'invalidResource' };
  }
  return { ok: true, resource: parsed.data };
};
