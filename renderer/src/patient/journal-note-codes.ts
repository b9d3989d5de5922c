import { arr, obj, reference, str, type Json } from './fhir-read';

/**
 * How the workstation writes what a Composition has no element for: coded contact reasons and
 * diagnoses, the contact type, and the correction of an earlier note. Read by the chart and
 * written by the note editor, so both live here.
 */
/** Our own systems (placeholder domain until the project has its own, as in the seed). */
const AKSON_CODES = 'http://akson.example/fhir/CodeSystem';
const AKSON_EXTENSIONS = 'http://akson.example/fhir/StructureDefinition';
export const JOURNAL_SECTION_SYSTEM = `${AKSON_CODES}/journal-section`;
export const CONTACT_TYPE_SYSTEM = `${AKSON_CODES}/contact-type`;
/** Composition has no element for them: the coded contact reasons and diagnoses, in order (the first diagnosis is the main one). */
export const CONTACT_REASON_EXTENSION = `${AKSON_EXTENSIONS}/note-contact-reason`;
export const DIAGNOSIS_EXTENSION = `${AKSON_EXTENSIONS}/note-diagnosis`;
/** On a correction: why the original was corrected or marked as entered in error. */
export const CORRECTION_EXTENSION = `${AKSON_EXTENSIONS}/note-correction`;
/** The correction of a note (kind and reason), when the note is one; else undefined. */
export const correctionOf = (composition: Json): { kind: 'correction' | 'entered-in-error'; reason: string; target: string } | undefined => {
  const extension = arr(composition.extension)
    .map(obj)
    .find((e) => e?.url === CORRECTION_EXTENSION);
  const target = arr(composition.relatesTo)
    .map(obj)
    .map((r) => reference(r?.targetReference))
    .find((r) => r.type === 'Composition' && r.id);
  if (!extension || !target) {
    return undefined;
  }
  const parts = arr(extension.extension).map(obj);
  const kind = parts.find((p) => p?.url === 'kind')?.valueCode === 'entered-in-error' ? 'entered-in-error' : 'correction';
  return { kind, reason: str(parts.find((p) => p?.url === 'reason')?.valueString, 2_000) ?? '', target: `Composition/${target.id ?? ''}` };
};
