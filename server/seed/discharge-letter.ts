import type { Composition, CompositionSection, DocumentReference } from 'fhir/r4';
import { dateTime } from './calendar';
import { codeable } from './codeable';
import { xhtml } from './composition';
import type { DischargeText } from './hospital-stays';
import { referenceTo } from './ids';
import { LOINC_SYSTEM } from './systems';

/**
 * The discharge letter (epikrise) as the hospital sends it: a final Composition, legally attested
 * by the hospital physician, authored by the physician and the hospital, kept by the hospital,
 * with the five sections of a Norwegian epikrise as XHTML narrative; and a DocumentReference that
 * indexes it.
 *
 * Why both, and why the Composition carries the text: the chart already shows notes as
 * Compositions section by section, and a signature covers exactly one resource version
 * (shared/signing: the canonical JSON of the Composition), so the letter's text lives once, in
 * the signed Composition, and the chart shows and verifies it like our own notes. The
 * DocumentReference holds no copy: it is the entry a document list or inbox ("Dokumenter",
 * "Epikriser") shows, typed, dated and attributed, and points at the Composition (attachment url
 * and context.related), as document-sharing services such as Kjernejournal's index documents.
 */
export const DISCHARGE_SUMMARY_LOINC = '18842-5';
const DISCHARGE_TYPE = codeable(LOINC_SYSTEM, DISCHARGE_SUMMARY_LOINC, 'Discharge summary', 'Epikrise');

/** The sections, with the LOINC section codes HL7's discharge summary uses. */
const SECTIONS = [
  ['innleggelsesarsak', 'Innleggelsesårsak', '46241-6', 'Hospital admission diagnosis Narrative - Reported'],
  ['forlop', 'Forløp', '8648-8', 'Hospital course Narrative'],
  ['diagnoser', 'Diagnoser', '11535-2', 'Hospital discharge Dx Narrative'],
  ['medikamenter', 'Medikamenter ved utreise', '10183-2', 'Hospital discharge medications Narrative'],
  ['plan', 'Videre plan', '18776-5', 'Plan of care note'],
] as const;

export interface DischargeLetterInput {
  readonly id: string;
  readonly patientId: string;
  readonly encounterId: string;
  readonly physicianId: string;
  readonly hospitalId: string;
  readonly hospitalName: string;
  readonly department: string;
  readonly admitted: number;
  readonly discharged: number;
  readonly signedAt: number;
  readonly text: DischargeText;
  /** the hospital's lab results, listed under Forløp */
  readonly observationIds: ReadonlyArray<string>;
}

export const dischargeLetterResource = (input: DischargeLetterInput): Composition => {
  const physician = referenceTo('Practitioner', input.physicianId);
  const hospital = referenceTo('Organization', input.hospitalId);
  const section = SECTIONS.map(([key, title, loinc, display]): CompositionSection => ({
    title,
    code: codeable(LOINC_SYSTEM, loinc, display, title),
    text: { status: 'additional', div: xhtml(input.text[key]) },
    ...(key === 'forlop' && input.observationIds.length > 0
      ? { entry: input.observationIds.map((id) => referenceTo('Observation', id)) }
      : {}),
  }));
  return {
    resourceType: 'Composition',
    id: input.id,
    status: 'final',
    type: DISCHARGE_TYPE,
    subject: referenceTo('Patient', input.patientId),
    encounter: referenceTo('Encounter', input.encounterId),
    date: dateTime(input.signedAt),
    author: [physician, hospital],
    title: `Epikrise: ${input.department}, ${input.hospitalName}`,
    attester: [{ mode: 'legal', time: dateTime(input.signedAt), party: physician }],
    custodian: hospital,
    event: [{ period: { start: dateTime(input.admitted), end: dateTime(input.discharged) } }],
    section,
  };
};

export const dischargeDocumentReference = (id: string, letter: Composition, input: DischargeLetterInput): DocumentReference => ({
  resourceType: 'DocumentReference',
  id,
  status: 'current',
  docStatus: 'final',
  type: DISCHARGE_TYPE,
  subject: referenceTo('Patient', input.patientId),
  date: letter.date,
  author: letter.author,
  authenticator: referenceTo('Practitioner', input.physicianId),
  custodian: referenceTo('Organization', input.hospitalId),
  description: letter.title,
  content: [
    {
      attachment: {
        contentType: 'application/fhir+json',
        url: `Composition/${input.id}`,
        title: letter.title,
        creation: letter.date,
      },
    },
  ],
  context: {
    encounter: [referenceTo('Encounter', input.encounterId)],
    period: { start: dateTime(input.admitted), end: dateTime(input.discharged) },
    related: [referenceTo('Composition', input.id)],
  },
});
