/**
 * Thrown when a code is not in the code system asked for (or the system is not one we know).
 * The message names the system only: a diagnosis code next to a patient in a log line is health
 * information, so the offending code travels in the `code` property for the caller to handle.
 */
export class UnknownCodeError extends Error {
  override readonly name = 'UnknownCodeError';

  constructor(
    readonly system: string,
    readonly code: string,
  ) {
    super(`Unknown code in code system ${system}`);
  }
}
