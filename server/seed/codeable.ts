import type { CodeableConcept } from 'fhir/r4';

/** A CodeableConcept of one coding, optionally with the text a Norwegian user reads. */
export const codeable = (system: string, code: string, display: string, text?: string): CodeableConcept => ({
  coding: [{ system, code, display }],
  ...(text === undefined ? {} : { text }),
});
