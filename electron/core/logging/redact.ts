/**
 * Security related: what may reach a log line. DO NOT widen without a privacy review.
 *
 * An allow-list, not a deny-list: a field survives only under a key named here, and only as the
 * kind of value that key is for. Everything else (an unknown key at any depth, a free text, an
 * error's message) is dropped and counted, so a caller who slips a patient, a note, a token or a
 * PIN into a log call loses the field instead of leaking it. Strings that do survive are scrubbed
 * of what looks like a national id (11 digits), a JWT, a bearer token or an e-mail address.
 */

/** How a known key's value is kept. */
type Kind =
  /** number, boolean, or a short token-like string (no spaces): ids, codes, names of calls */
  | 'scalar'
  /** a short developer-made phrase (e.g. zod issue paths and codes), scrubbed */
  | 'phrase'
  /** an object (or array of objects) walked by the same rules */
  | 'walk'
  /** one level of identifier-named fields holding scalars only (a renderer's `context`) */
  | 'flat'
  /** an Error (or what looks like one): its type, code and stack frames, never its message */
  | 'error';

export const safeKeys: Readonly<Record<string, Kind>> = {
  // the frame of every line
  level: 'scalar',
  time: 'scalar',
  pid: 'scalar',
  hostname: 'scalar',
  logger: 'scalar',
  version: 'scalar',
  sessionId: 'scalar',
  correlationId: 'scalar',
  source: 'scalar',
  // what happened
  call: 'scalar',
  callType: 'scalar',
  event: 'scalar',
  code: 'scalar',
  errorType: 'scalar',
  errorCode: 'scalar',
  state: 'scalar',
  status: 'scalar',
  kind: 'scalar',
  keyStore: 'scalar',
  list: 'scalar',
  resourceType: 'scalar',
  component: 'scalar',
  route: 'scalar',
  reason: 'scalar',
  trigger: 'scalar',
  setting: 'scalar',
  settings: 'walk',
  locked: 'scalar',
  channel: 'scalar',
  provider: 'scalar',
  mode: 'scalar',
  platform: 'scalar',
  // counts and measures
  count: 'scalar',
  seq: 'scalar',
  port: 'scalar',
  pulled: 'scalar',
  changed: 'scalar',
  patients: 'scalar',
  exported: 'scalar',
  unreadable: 'scalar',
  created: 'scalar',
  schema: 'scalar',
  attempts: 'scalar',
  pending: 'scalar',
  dropped: 'scalar',
  files: 'scalar',
  bytes: 'scalar',
  days: 'scalar',
  minutes: 'scalar',
  ms: 'scalar',
  durationMs: 'scalar',
  redactedFields: 'scalar',
  // structure
  issues: 'phrase',
  context: 'flat',
  err: 'error',
  error: 'error',
  cause: 'error',
};

const REDACTED = '[redacted]';
const MAX_DEPTH = 6;
const MAX_KEYS = 40;
const MAX_ARRAY = 20;
const MAX_SCALAR = 100;
const MAX_PHRASE = 300;
const MAX_FRAMES = 15;

/** Anything that looks like a secret or an identifier, wherever it stands in a string. */
const scrubbers: ReadonlyArray<readonly [RegExp, string]> = [
  // JWTs (the journal's access tokens) and bearer credentials
  [/eyJ[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]{2,}\.[A-Za-z0-9_-]*/g, '[jwt]'],
  [/\bBearer\s+\S+/gi, 'Bearer [token]'],
  // fødselsnummer / D-number / H-number: 11 digits, also written 6+5
  [/(?<!\d)\d{6}[ -]?\d{5}(?!\d)/g, '[id]'],
  [/[\w.+-]+@[\w-]+(?:\.[\w-]+)+/g, '[email]'],
];

export const scrubText = (text: string): string =>
  scrubbers.reduce((result, [pattern, replacement]) => result.replace(pattern, replacement), text);

/** Capitalised words our own messages use; any other capitalised word may be a name. */
const KNOWN_WORDS = new Set(['Error', 'Akson', 'Electron', 'Windows', 'Linux', 'Chromium', 'Node', 'Bearer']);

/**
 * Our messages are lowercase sentences (and CamelCase type names), so a capitalised word in one
 * is treated as what it most likely is in a clinic: someone's name.
 */
const scrubNames = (text: string): string =>
  text.replace(/(?<![\p{L}\p{N}])\p{Lu}\p{Ll}+(?![\p{L}\p{N}])/gu, (word) => (KNOWN_WORDS.has(word) ? word : '[name]'));

/**
 * Phrases may also not carry a long digit run (a PIN, a phone number), a long opaque token, or a
 * capitalised word.
 */
const scrubPhrase = (text: string): string =>
  scrubNames(scrubText(text))
    .replace(/(?<![\d.])\d{4,}(?![\d.])/g, '[n]')
    .replace(/[A-Za-z0-9+/_-]{32,}={0,2}/g, '[secret]');

const SCALAR_STRING = /^[\p{L}\p{N}_.:/#@+-]*$/u;

const scalar = (value: unknown): unknown => {
  if (value === null || typeof value === 'boolean') {
    return value;
  }
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : String(value);
  }
  if (typeof value === 'bigint') {
    return value.toString();
  }
  if (typeof value === 'string') {
    const scrubbed = scrubText(value);
    return scrubbed.length <= MAX_SCALAR && SCALAR_STRING.test(scrubbed) ? scrubbed : REDACTED;
  }
  return REDACTED;
};

const phrase = (value: unknown): unknown =>
  typeof value === 'string' ? scrubPhrase(value).slice(0, MAX_PHRASE) : scalar(value);

/**
 * One V8/Chromium stack frame, rebuilt from its parts: `at fn (file:line:col)`. The first line of
 * a stack repeats the message and is never kept.
 */
const FRAME = /^\s*at (?:((?:async |new )?[\w$.<>[\] ]{1,120}?) \()?([^\s()]{1,400}?)\)?\s*$/;

export const stackFrames = (stack: unknown): string[] => {
  if (typeof stack !== 'string') {
    return [];
  }
  const frames: string[] = [];
  for (const line of stack.split('\n').slice(1)) {
    const match = FRAME.exec(line);
    if (!match) {
      continue;
    }
    const [, fn, location = ''] = match;
    // Line and column numbers stay (they are the point of a frame); ids and tokens do not.
    const where = scrubText(location.replace(/[?#].*$/, '')).replace(/[A-Za-z0-9+_-]{40,}={0,2}/g, '[secret]');
    // A function name is code, not a person: only ids and tokens are scrubbed from it.
    frames.push(fn ? `${scrubText(fn)} (${where})` : where);
    if (frames.length >= MAX_FRAMES) {
      break;
    }
  }
  return frames;
};

const errorOf = (value: unknown, depth: number): unknown => {
  if (value === null || typeof value !== 'object') {
    return REDACTED;
  }
  const error = value as { name?: unknown; type?: unknown; code?: unknown; stack?: unknown; frames?: unknown; cause?: unknown };
  const type = scalar(error.name ?? error.type);
  const out: Record<string, unknown> = { type: typeof type === 'string' ? type : 'Error', message: REDACTED };
  if (error.code !== undefined) {
    out.code = scalar(error.code);
  }
  const frames = Array.isArray(error.frames) ? error.frames.filter((f): f is string => typeof f === 'string').map(scrubPhrase).slice(0, MAX_FRAMES) : stackFrames(error.stack);
  if (frames.length > 0) {
    out.frames = frames;
  }
  if (error.cause !== undefined && depth < 3) {
    out.cause = errorOf(error.cause, depth + 1);
  }
  return out;
};

const FLAT_KEY = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;

const flat = (value: unknown): unknown => {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return REDACTED;
  }
  const out: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>).slice(0, MAX_KEYS)) {
    if (FLAT_KEY.test(key)) {
      out[key] = scalar(item);
    }
  }
  return out;
};

const walk = (value: unknown, depth: number): unknown => {
  if (value === null || typeof value !== 'object') {
    return scalar(value);
  }
  if (depth >= MAX_DEPTH) {
    return REDACTED;
  }
  if (value instanceof Error) {
    return errorOf(value, 0);
  }
  if (Array.isArray(value)) {
    return value.slice(0, MAX_ARRAY).map((item) => walk(item, depth + 1));
  }
  if (value instanceof Date) {
    return value.toISOString();
  }
  return redactFields(value as Record<string, unknown>, depth + 1);
};

/**
 * The fields of one log call as they may be written: known keys kept as their kind allows,
 * unknown keys dropped (their number kept as `redactedFields`), at every depth.
 */
export const redactFields = (fields: Record<string, unknown>, depth = 0): Record<string, unknown> => {
  const out: Record<string, unknown> = {};
  let dropped = 0;
  let seen = 0;
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) {
      continue;
    }
    seen += 1;
    const kind = Object.hasOwn(safeKeys, key) ? safeKeys[key] : undefined;
    if (kind === undefined || seen > MAX_KEYS) {
      dropped += 1;
      continue;
    }
    switch (kind) {
      case 'scalar':
        out[key] = Array.isArray(value) ? value.slice(0, MAX_ARRAY).map(scalar) : scalar(value);
        break;
      case 'phrase':
        out[key] = phrase(value);
        break;
      case 'walk':
        out[key] = walk(value, depth);
        break;
      case 'error':
        out[key] = errorOf(value, 0);
        break;
      case 'flat':
        out[key] = flat(value);
        break;
      default: {
        const never: never = kind;
        throw new Error(`unhandled kind ${String(never)}`);
      }
    }
  }
  if (dropped > 0) {
    out.redactedFields = dropped;
  }
  return out;
};

/** A log message: written by our code as a constant, scrubbed anyway and kept short. */
export const scrubMessage = (message: string): string => scrubPhrase(message).slice(0, MAX_PHRASE);
