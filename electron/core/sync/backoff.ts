/**
 * Retry delays for the sync engine: exponential backoff with "full jitter" (AWS architecture blog,
 * "Exponential Backoff And Jitter"): `random(0, min(cap, base * 2^attempt))`. Full jitter spreads
 * the retries of many workstations that lost the network at the same moment, so they do not all
 * come back in the same second. There is no maximum attempt count: the caller retries forever and
 * shows that it does (ARCHITECTURE.md, "Data and sync").
 */

export const BASE_DELAY_MS = 500;
export const MAX_DELAY_MS = 60_000;
/** A Retry-After longer than this is treated as this: a misconfigured server must not park a clinic's outbox for a day. */
export const MAX_RETRY_AFTER_MS = 10 * 60_000;

export interface BackoffOptions {
  baseMs?: number;
  capMs?: number;
  /** Uniform in [0, 1), like Math.random (the default); injectable so tests are deterministic. */
  random?: () => number;
}

/**
 * Past this exponent base * 2^attempt exceeds any sane cap (2^40 * 1 ms is 35 years), so larger
 * attempts are cut here: Math.pow would reach Infinity at 1024 and NaN if multiplied by 0.
 */
const MAX_EXPONENT = 40;

const finiteNonNegative = (value: number, fallback: number): number => (Number.isFinite(value) && value >= 0 ? value : fallback);

/** The upper bound of the jittered delay for `attempt` (0 for the first retry): min(cap, base * 2^attempt). */
export const backoffCeiling = (attempt: number, options: BackoffOptions = {}): number => {
  const base = finiteNonNegative(options.baseMs ?? BASE_DELAY_MS, BASE_DELAY_MS);
  const cap = finiteNonNegative(options.capMs ?? MAX_DELAY_MS, MAX_DELAY_MS);
  // NaN, negative or fractional attempts are a caller's slip, not a reason to return NaN.
  const exponent = Number.isFinite(attempt) ? Math.min(Math.max(Math.floor(attempt), 0), MAX_EXPONENT) : attempt > 0 ? MAX_EXPONENT : 0;
  return Math.min(cap, base * 2 ** exponent);
};

/**
 * The delay before retry number `attempt` (0-based). When the server said how long to wait
 * (`retryAfterMs`, from `parseRetryAfter`), that wins, clamped to [0, MAX_RETRY_AFTER_MS]: the
 * server knows its load better than our guess does.
 */
export const backoffDelay = (attempt: number, options: BackoffOptions & { retryAfterMs?: number } = {}): number => {
  if (options.retryAfterMs !== undefined && !Number.isNaN(options.retryAfterMs)) {
    return clampRetryAfter(options.retryAfterMs);
  }
  const ceiling = backoffCeiling(attempt, options);
  const draw = (options.random ?? Math.random)();
  // A random source outside [0, 1) (or NaN) must not push the delay outside [0, ceiling].
  const unit = Number.isFinite(draw) ? Math.min(Math.max(draw, 0), 1) : 0;
  return Math.floor(unit * ceiling);
};

const clampRetryAfter = (ms: number): number => Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS);

/**
 * `Retry-After` (RFC 9110 10.2.3) as milliseconds from `now`: either delay-seconds (`120`) or an
 * HTTP-date (`Wed, 21 Oct 2026 07:28:00 GMT`). A date in the past is 0; anything longer than
 * MAX_RETRY_AFTER_MS is clamped to it; an unreadable value is undefined (use the backoff).
 */
export const parseRetryAfter = (value: string | null | undefined, now: number = Date.now()): number | undefined => {
  if (value === null || value === undefined) {
    return undefined;
  }
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    // Number() of a 400-digit string is Infinity, which the clamp turns into the maximum.
    return clampRetryAfter(Number(text) * 1000);
  }
  // Only something shaped like a date: Date.parse accepts bare numbers such as "-5" or "1.5" as years.
  if (!/^[A-Za-z]{3},? /.test(text) && !/^[A-Za-z]{3,9}day, /.test(text)) {
    return undefined;
  }
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : clampRetryAfter(at - now);
};
