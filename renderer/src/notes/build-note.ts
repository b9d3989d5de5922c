import { icpc2Coding, isIcpc2Code } from '../../../shared/terminology/icpc2';
import { arr, concept, obj, str, type Json } from '../patient/fhir-read';
import { narrativeParagraphs } from '../chart/shape-chart';
import { CONTACT_REASON_EXTENSION, CONTACT_TYPE_SYSTEM, CORRECTION_EXTENSION, DIAGNOSIS_EXTENSION, JOURNAL_SECTION_SYSTEM } from '../patient/journal-note-codes';
import { contactTypes, emptyNoteForm, noteFormSchema, type ContactType, type NoteForm } from './note-form';

const LOINC = 'http://loinc.org';
const XHTML_NAMESPACE = 'http://www.w3.org/1999/xhtml';

/** Section titles are the journal's words (the record is Norwegian whatever the screen's language). */
const SECTION_TITLES = {
  kontaktarsak: 'Kontaktårsak',
  anamnese: 'Anamnese',
  funn: 'Funn',
  vurdering: 'Vurdering',
  tiltak: 'Tiltak',
  diagnose: 'Diagnose',
  fritekst: 'Fritekst',
} as const;
type SectionCode = keyof typeof SECTION_TITLES;

const CONTACT_TYPE_DISPLAY: Record<ContactType, string> = {
  consultation: 'Konsultasjon',
  phone: 'Telefonkontakt',
  video: 'Videokonsultasjon',
  'home-visit': 'Sykebesøk',
  'emergency-centre': 'Legevaktkonsultasjon',
};

export class NoteBuildError extends Error {
  constructor(
    readonly code: 'UNKNOWN_CODE' | 'EMPTY' | 'NO_REASON',
    readonly detail?: string,
  ) {
    super(detail ? `${code}: ${detail}` : code);
    this.name = 'NoteBuildError';
  }
}

const escapeXml = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Text as XHTML narrative, one paragraph per line: whatever was typed or pasted (markup from Word
 * included) is escaped, so it is stored and shown as the characters it is, never as markup.
 */
export const narrativeOf = (text: string): string =>
  `<div xmlns="${XHTML_NAMESPACE}">${text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => `<p>${escapeXml(line)}</p>`)
    .join('')}</div>`;

const codeLines = (codes: readonly string[], mainLabel?: string): string =>
  codes.map((code, index) => `${icpc2Coding(code).code} ${icpc2Coding(code).display}${index === 0 && mainLabel && codes.length > 1 ? ` (${mainLabel})` : ''}`).join('\n');

const checkCodes = (codes: readonly string[]): void => {
  const unknown = codes.find((code) => !isIcpc2Code(code));
  if (unknown !== undefined) {
    throw new NoteBuildError('UNKNOWN_CODE', unknown.slice(0, 10));
  }
};

/**
 * The Composition a note form becomes, ready for `journal.signNote` (core adds author, attester,
 * date and the signature). Empty sections are left out; a note with nothing in it is refused.
 * @throws NoteBuildError for an unknown ICPC-2 code or an empty note
 */
export const noteComposition = (form: NoteForm, patientId: string): Json => {
  checkCodes(form.reasons);
  checkCodes(form.diagnoses);
  const free: [SectionCode, string][] = [
    ['anamnese', form.anamnese],
    ['funn', form.funn],
    ['vurdering', form.vurdering],
    ['tiltak', form.tiltak],
    ['fritekst', form.fritekst],
  ];
  const sections: [SectionCode, string][] = [
    ...(form.reasons.length > 0 ? ([['kontaktarsak', codeLines(form.reasons)]] as [SectionCode, string][]) : []),
    ...free.slice(0, 4),
    ...(form.diagnoses.length > 0 ? ([['diagnose', codeLines(form.diagnoses, 'hoveddiagnose')]] as [SectionCode, string][]) : []),
    ...free.slice(4),
  ].filter(([, text]) => text.trim() !== '');
  const correction = form.correction;
  if (sections.length === 0 && !correction) {
    throw new NoteBuildError('EMPTY');
  }
  if (correction && correction.reason.trim() === '') {
    throw new NoteBuildError('NO_REASON');
  }
  const emergency = form.contactType === 'emergency-centre';
  const kind = emergency ? { code: '34111-5', display: 'Emergency department Note', text: 'Legevaktnotat' } : { code: '11506-3', display: 'Progress note', text: 'Journalnotat' };
  // As the timeline lists notes: the contact and its main diagnosis ("Konsultasjon: Akutt øvre luftveisinfeksjon").
  const main = form.diagnoses[0];
  const plain = main !== undefined ? `${CONTACT_TYPE_DISPLAY[form.contactType]}: ${icpc2Coding(main).display}` : kind.text;
  const title = (correction ? `${correction.kind === 'correction' ? 'Rettelse' : 'Feilført'}: ${correction.targetTitle}` : plain).slice(0, 300);
  return {
    resourceType: 'Composition',
    status: 'final',
    type: { coding: [{ system: LOINC, code: kind.code, display: kind.display }], text: kind.text },
    category: [{ coding: [{ system: CONTACT_TYPE_SYSTEM, code: form.contactType, display: CONTACT_TYPE_DISPLAY[form.contactType] }], text: CONTACT_TYPE_DISPLAY[form.contactType] }],
    subject: { reference: `Patient/${patientId}` },
    title,
    ...(form.reasons.length + form.diagnoses.length > 0 || correction
      ? {
          extension: [
            ...form.reasons.map((code) => ({ url: CONTACT_REASON_EXTENSION, valueCodeableConcept: { coding: [icpc2Coding(code)], text: icpc2Coding(code).display } })),
            ...form.diagnoses.map((code) => ({ url: DIAGNOSIS_EXTENSION, valueCodeableConcept: { coding: [icpc2Coding(code)], text: icpc2Coding(code).display } })),
            ...(correction
              ? [{ url: CORRECTION_EXTENSION, extension: [{ url: 'kind', valueCode: correction.kind }, { url: 'reason', valueString: correction.reason.trim() }] }]
              : []),
          ],
        }
      : {}),
    ...(correction ? { relatesTo: [{ code: 'replaces', targetReference: { reference: correction.target } }] } : {}),
    section: sections.map(([code, text]) => ({
      title: SECTION_TITLES[code],
      code: { coding: [{ system: JOURNAL_SECTION_SYSTEM, code, display: SECTION_TITLES[code] }] },
      text: { status: 'additional', div: narrativeOf(text) },
    })),
  };
};

const codesIn = (resource: Json, url: string): string[] =>
  arr(resource.extension)
    .map(obj)
    .filter((e): e is Json => e !== undefined && e.url === url)
    .map((e) => concept(e.valueCodeableConcept).code)
    .filter((code): code is string => code !== undefined && isIcpc2Code(code));

/** What a signed note said, as a form: the start of its correction (codes and sections as written). */
export const noteFormFrom = (composition: Json): NoteForm => {
  const form = emptyNoteForm();
  const category = concept(arr(composition.category)[0]).code;
  const contactType = (contactTypes as readonly string[]).includes(category ?? '') ? (category as ContactType) : 'consultation';
  const sectionText = (code: string): string => {
    const section = arr(composition.section)
      .map(obj)
      .find((s) => s !== undefined && (concept(s.code).code === code || str(s.title, 60)?.toLowerCase() === code));
    return section ? narrativeParagraphs(obj(section.text)?.div).join('\n') : '';
  };
  const parsed = noteFormSchema.safeParse({
    ...form,
    contactType,
    reasons: codesIn(composition, CONTACT_REASON_EXTENSION),
    diagnoses: codesIn(composition, DIAGNOSIS_EXTENSION),
    anamnese: sectionText('anamnese'),
    funn: sectionText('funn'),
    vurdering: sectionText('vurdering'),
    tiltak: sectionText('tiltak'),
    fritekst: sectionText('fritekst'),
  });
  return parsed.success ? parsed.data : form;
};
