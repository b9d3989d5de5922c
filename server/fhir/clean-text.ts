import { badRequest, FhirError } from './operation-outcome';

/**
 * Security related: the rules every string from a client obeys before anything uses it. PostgreSQL
 * text and jsonb can not hold U+0000, so a NUL that reached SQL failed the statement (a 500, and
 * the audit insert of the refusal failed with it). A lone surrogate is not a Unicode character:
 * the UTF-8 encoders on the way to the database replace it silently, so what was stored would
 * differ from what was sent. Both are refused with a 400 instead.
 */

// eslint-disable-next-line no-control-regex -- finding U+0000 is the point
const NUL_OR_LONE_SURROGATE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What is wrong with a client string, or undefined when it may be used. */
export const textProblem = (text: string): string | undefined => {
  const match = NUL_OR_LONE_SURROGATE.exec(text);
  if (!match) {
    return undefined;
  }
  return match[0] === '\u0000' ? 'contains a NUL character (U+0000)' : 'contains a lone surrogate (not a Unicode character)';
};

/** Version ids are an `integer` column: anything beyond it is refused here, not by a failing statement. */
export const MAX_VERSION_ID = 2_147_483_647;

/** A version id from a URL or an ETag: 1 to MAX_VERSION_ID, digits only. */
export const parseVersionId = (raw: string, what: string): number => {
  const version = /^[1-9]\d{0,9}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(version <= MAX_VERSION_ID)) {
    throw badRequest(`${what} must be a whole number from 1 to ${MAX_VERSION_ID}.`);
  }
  return version;
};

const decodeComponent = (raw: string): string => {
  let text: string;
  try {
    text = decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    throw badRequest('The query is not valid percent-encoded UTF-8.');
  }
  const problem = textProblem(text);
  if (problem) {
    throw badRequest(`A query parameter ${problem}.`);
  }
  return text;
};

/**
 * A query string (without `?`) as name/value pairs, like URLSearchParams, but strict: where
 * URLSearchParams turns invalid UTF-8 into U+FFFD (a search for something else than was asked),
 * this refuses it, and NUL or lone surrogates too.
 */
export const parseQuery = (search: string): Array<[string, string]> => {
  const pairs: Array<[string, string]> = [];
  for (const part of search.split('&')) {
    if (part === '') {
      continue;
    }
    const equals = part.indexOf('=');
    pairs.push(equals < 0 ? [decodeComponent(part), ''] : [decodeComponent(part.slice(0, equals)), decodeComponent(part.slice(equals + 1))]);
  }
  return pairs;
};

/** The query of a request target (`/a/b?x=1`), parsed strictly. */
export const queryOfTarget = (target: string): Array<[string, string]> => {
  const mark = target.indexOf('?');
  return mark < 0 ? [] : parseQuery(target.slice(mark + 1));
};

export interface JsonCheck {
  maxDepth: number;
}

const pathOf = (trail: ReadonlyArray<string | number>): string =>
  trail.reduce<string>((path, key) => (typeof key === 'number' ? `${path}[${key}]` : path === '' ? key : `${path}.${key}`), '');

/**
 * Security related: one walk over a parsed JSON body before anything reads it: not deeper than
 * `maxDepth` (later code walks it recursively), every key and string value clean (above), every
 * number finite (JSON.parse reads 1e400 as Infinity, which JSON.stringify would store as null).
 * Iterative, so a hostile nesting can not overflow the stack here.
 */
export const assertCleanJson = (value: unknown, { maxDepth }: JsonCheck): void => {
  interface Frame {
    node: unknown;
    depth: number;
    parent: Frame | undefined;
    key: string | number | undefined;
  }
  const trailOf = (frame: Frame): string => {
    const keys: Array<string | number> = [];
    for (let at: Frame | undefined = frame; at?.key !== undefined; at = at.parent) {
      keys.unshift(at.key);
    }
    return pathOf(keys);
  };
  const refuse = (frame: Frame, code: 'structure' | 'value', message: string): never => {
    const where = trailOf(frame);
    throw new FhirError(400, code, where === '' ? `The body ${message}.` : `The body at ${where} ${message}.`, where === '' ? undefined : [where]);
  };
  const stack: Frame[] = [{ node: value, depth: 1, parent: undefined, key: undefined }];
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    const { node, depth } = frame;
    if (depth > maxDepth) {
      throw new FhirError(400, 'structure', `The JSON is nested deeper than ${maxDepth} levels.`);
    }
    if (typeof node === 'string') {
      const problem = textProblem(node);
      if (problem) {
        refuse(frame, 'value', problem);
      }
    } else if (typeof node === 'number') {
      if (!Number.isFinite(node)) {
        refuse(frame, 'value', 'holds a number beyond the range of a double');
      }
    } else if (Array.isArray(node)) {
      node.forEach((child: unknown, index) => stack.push({ node: child, depth: depth + 1, parent: frame, key: index }));
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, child] of Object.entries(node)) {
        const problem = textProblem(key);
        if (problem) {
          refuse(frame, 'value', `has a property name that ${problem}`);
        }
        stack.push({ node: child, depth: depth + 1, parent: frame, key });
      }
    }
  }
};
