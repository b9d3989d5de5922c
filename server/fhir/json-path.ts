/** Small, total helpers to walk FHIR JSON without trusting its shape. */
export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Every value at a dotted path, flattening arrays on the way ("name.given" -> all given names). */
export const valuesAt = (resource: unknown, path: string): unknown[] => {
  let current: unknown[] = [resource];
  for (const key of path.split('.')) {
    const next: unknown[] = [];
    for (const value of current) {
      if (!isObject(value)) {
        continue;
      }
      const child = value[key];
      if (Array.isArray(child)) {
        next.push(...(child as unknown[]));
      } else if (child !== undefined && child !== null) {
        next.push(child);
      }
    }
    current = next;
  }
  return current;
};
