import type { Composition, CompositionSection } from 'fhir/r4';
import { dateTime } from './calendar';
import { codeable } from './codeable';
import { referenceTo } from './ids';
import type { EncounterSetting, NoteText } from './note-text';
import { JOURNAL_SECTION_SYSTEM, LOINC_SYSTEM, XHTML_NAMESPACE } from './systems';

/**
 * A signed journal note as a FHIR Composition: final, authored and legally attested by the
 * clinician who gave the care (pasientjournalloven: the author documents and signs), with the
 * four sections of a Norwegian note as XHTML narrative. The findings section points at the
 * Observations measured at the visit.
 */
export const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const xhtml = (paragraphs: ReadonlyArray<string>): string =>
  `<div xmlns="${XHTML_NAMESPACE}">${paragraphs.map((paragraph) => `<p>${escapeXml(paragraph)}</p>`).join('')}</div>`;

const SECTIONS = [
  ['anamnese', 'Anamnese'],
  ['funn', 'Funn'],
  ['vurdering', 'Vurdering'],
  ['tiltak', 'Tiltak'],
] as const;

const NOTE_TYPE: Record<EncounterSetting, { loinc: string; display: string; text: string }> = {
  gp: { loinc: '11506-3', display: 'Progress note', text: 'Journalnotat' },
  'e-consultation': { loinc: '11506-3', display: 'Progress note', text: 'Journalnotat' },
  emergency: { loinc: '34111-5', display: 'Emergency department Note', text: 'Legevaktnotat' },
};

export interface CompositionInput {
  readonly id: string;
  readonly patientId: string;
  readonly encounterId: string;
  readonly authorId: string;
  readonly custodianId: string;
  readonly setting: EncounterSetting;
  readonly signedAt: number;
  readonly title: string;
  readonly note: NoteText;
  readonly observationIds: ReadonlyArray<string>;
}

export const compositionResource = (input: CompositionInput): Composition => {
  const type = NOTE_TYPE[input.setting];
  const author = referenceTo('Practitioner', input.authorId);
  const section = SECTIONS.map(([code, title]): CompositionSection => ({
    title,
    code: codeable(JOURNAL_SECTION_SYSTEM, code, title),
    text: { status: 'additional', div: xhtml(input.note[code]) },
    ...(code === 'funn' && input.observationIds.length > 0
      ? { entry: input.observationIds.map((id) => referenceTo('Observation', id)) }
      : {}),
  }));
  return {
    resourceType: 'Composition',
    id: input.id,
    status: 'final',
    type: codeable(LOINC_SYSTEM, type.loinc, type.display, type.text),
    subject: referenceTo('Patient', input.patientId),
    encounter: referenceTo('Encounter', input.encounterId),
    date: dateTime(input.signedAt),
    author: [author],
    title: input.title,
    attester: [{ mode: 'legal', time: dateTime(input.signedAt), party: author }],
    custodian: referenceTo('Organization', input.custodianId),
    section,
  };
};
