import { identifierElementProblem } from './identifiers';
import { isObject, valuesAt, type Json } from './json-path';
import { badRequest, FhirError } from './operation-outcome';
import { isSupportedType } from './search-parameters';

export const ID_PATTERN = /^[A-Za-z0-9\-.]{1,64}$/;

export const assertSupportedType = (type: string): void => {
  if (!isSupportedType(type)) {
    throw new FhirError(400, 'not-supported', `Resource type "${type}" is not supported by this server.`);
  }
};

export const assertValidId = (id: string): void => {
  if (!ID_PATTERN.test(id)) {
    throw badRequest(`"${id.slice(0, 70)}" is not a valid resource id (1-64 of A-Z a-z 0-9 - .).`);
  }
};

/**
 * Checks a resource the client sent before anything is stored: right type, well-formed id and
 * references, valid Norwegian identifiers. Throws FhirError (400 structure/value) with the path.
 */
export const validateResource = (body: unknown, expectedType: string, expectedId?: string): Json => {
  if (!isObject(body)) {
    throw new FhirError(400, 'structure', 'The body must be a FHIR resource (a JSON object).');
  }
  const type = body.resourceType;
  if (typeof type !== 'string') {
    throw new FhirError(400, 'required', 'resourceType is missing.', ['resourceType']);
  }
  assertSupportedType(type);
  if (type !== expectedType) {
    throw new FhirError(400, 'invalid', `resourceType is ${type}, but the URL is for ${expectedType}.`, ['resourceType']);
  }
  if (body.id !== undefined) {
    if (typeof body.id !== 'string') {
      throw new FhirError(400, 'value', 'id must be a string.', [`${type}.id`]);
    }
    assertValidId(body.id);
  }
  if (expectedId !== undefined && body.id !== expectedId) {
    throw new FhirError(400, 'invalid', `The resource id (${String(body.id)}) must match the id in the URL (${expectedId}).`, [`${type}.id`]);
  }
  if (body.meta !== undefined && !isObject(body.meta)) {
    throw new FhirError(400, 'structure', 'meta must be an object.', [`${type}.meta`]);
  }
  valuesAt(body, 'identifier').forEach((identifier, index) => {
    if (!isObject(identifier)) {
      throw new FhirError(400, 'structure', 'identifier entries must be objects.', [`${type}.identifier[${index}]`]);
    }
    const problem = identifierElementProblem(identifier);
    if (problem) {
      throw new FhirError(400, 'value', `identifier[${index}].${problem.element} ${problem.problem}.`, [`${type}.identifier[${index}].${problem.element}`]);
    }
  });
  return body;
};
