/**
 * Defensive readers over FHIR JSON from the cache or the journal. Resources cross the contract
 * checked for shape and size only, so any field may be missing, of the wrong type or hostile:
 * these never throw, and give strings capped in length, so one bad resource can not break a screen.
 */
export type Json = Record<string, unknown>;

export const MAX_TEXT = 20_000;

export const obj = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;

export const arr = (value: unknown): unknown[] => (Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]);

export const str = (value: unknown, max = MAX_TEXT): string | undefined => {
  if (typeof value !== 'string') {
    return undefined;
  }
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed.length > max ? `${trimmed.slice(0, max)}…` : trimmed;
};

export const num = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);

/** The first coding's code and system, and the best human text of a CodeableConcept. */
export const concept = (value: unknown): { system: string | undefined; code: string | undefined; text: string | undefined } => {
  const cc = obj(value);
  const codings = arr(cc?.coding).map(obj).filter((c): c is Json => c !== undefined);
  const first = codings[0];
  return {
    system: str(first?.system, 200),
    code: str(first?.code, 100),
    text: str(cc?.text, 500) ?? codings.map((c) => str(c.display, 500)).find((d) => d !== undefined),
  };
};

/** All codings of a CodeableConcept, for lookups by system. */
export const codings = (value: unknown): { system: string | undefined; code: string | undefined; display: string | undefined }[] =>
  arr(obj(value)?.coding)
    .map(obj)
    .filter((c): c is Json => c !== undefined)
    .map((c) => ({ system: str(c.system, 200), code: str(c.code, 100), display: str(c.display, 500) }));

/** `Type/id` of a Reference, and its display. */
export const reference = (value: unknown): { type: string | undefined; id: string | undefined; display: string | undefined } => {
  const ref = obj(value);
  const match = /^([A-Z][A-Za-z]+)\/([A-Za-z0-9.-]{1,64})/.exec(str(ref?.reference, 200) ?? '');
  return { type: match?.[1], id: match?.[2], display: str(ref?.display, 200) };
};

/** A FHIR date or dateTime as epoch milliseconds, or undefined when it is not one. */
export const time = (value: unknown): number | undefined => {
  const text = str(value, 40);
  if (!text || !/^\d{4}(-\d{2}(-\d{2}(T[\d:.]+(Z|[+-]\d{2}:\d{2})?)?)?)?$/.test(text)) {
    return undefined;
  }
  const parsed = Date.parse(text.length === 4 ? `${text}-01-01` : text.length === 7 ? `${text}-01` : text);
  return Number.isNaN(parsed) ? undefined : parsed;
};
