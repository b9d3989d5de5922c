import { assertCleanJson, textProblem } from '../fhir/clean-text';
import { badRequest, FhirError } from '../fhir/operation-outcome';

/** Deeper JSON than any FHIR resource needs is refused before anything walks it recursively. */
export const MAX_JSON_DEPTH = 64;

/**
 * Security related: a body is decoded as UTF-8 with `fatal`, so invalid bytes are a 400; a
 * lenient decoder would store U+FFFD in their place, i.e. something other than what was sent.
 */
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A request body as JSON: valid UTF-8, valid JSON, and clean (`assertCleanJson`). Empty is no body. */
export const parseJsonBody = (bytes: Buffer): unknown => {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new FhirError(400, 'structure', 'The body is not valid UTF-8.');
  }
  // An empty body (GET, DELETE with a FHIR content type) is no body, not malformed JSON.
  if (text.trim() === '') {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new FhirError(400, 'structure', 'The body is not valid JSON.');
  }
  assertCleanJson(parsed, { maxDepth: MAX_JSON_DEPTH });
  return parsed;
};

/** Path parameters (type, id, version) obey the same rules as body strings, before any route sees them. */
export const assertCleanParams = (params: unknown): void => {
  if (typeof params !== 'object' || params === null) {
    return;
  }
  for (const [name, value] of Object.entries(params)) {
    const problem = typeof value === 'string' ? textProblem(value) : undefined;
    if (problem) {
      throw badRequest(`The path ${problem} (in ${name}).`);
    }
  }
};
