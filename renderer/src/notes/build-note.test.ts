import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { noteDetails } from '../chart/shape-note';
import { correctionOf, DIAGNOSIS_EXTENSION } from '../patient/journal-note-codes';
import { NoteBuildError, noteComposition, noteFormFrom } from './build-note';
import { emptyNoteForm, noteFormSchema, type NoteForm } from './note-form';

const form = (patch: Partial<NoteForm>): NoteForm => ({ ...emptyNoteForm(), ...patch });

describe('noteComposition', () => {
  it('makes a Composition with the coded reason and diagnoses, sections in the order of a note, empty ones left out', () => {
    const note = noteComposition(form({ reasons: ['R05'], diagnoses: ['R74', 'R05'], anamnese: 'Hoste i 5 dager.', vurdering: 'Viral ØLI.' }), 'p1');
    expect(note.subject).toEqual({ reference: 'Patient/p1' });
    expect(note.status).toBe('final');
    expect((note.section as { title: string }[]).map((s) => s.title)).toEqual(['Kontaktårsak', 'Anamnese', 'Vurdering', 'Diagnose']);
    const diagnoses = (note.extension as { url: string; valueCodeableConcept: { coding: { code: string; system: string }[] } }[]).filter((e) => e.url === DIAGNOSIS_EXTENSION);
    expect(diagnoses.map((d) => d.valueCodeableConcept.coding[0]?.code)).toEqual(['R74', 'R05']);
    expect(diagnoses[0]?.valueCodeableConcept.coding[0]?.system).toBe('urn:oid:2.16.578.1.12.4.1.1.7170');
    const shown = noteDetails(note);
    expect(shown.sections.find((s) => s.title === 'Diagnose')?.paragraphs[0]).toMatch(/^R74 .+ \(hoveddiagnose\)$/);
    expect(note.id).toBeUndefined();
    expect(note.author).toBeUndefined();
  });

  it('refuses an unknown code and an empty note with a reason the editor can say', () => {
    expect(() => noteComposition(form({ diagnoses: ['Q12'], anamnese: 'x' }), 'p1')).toThrow(NoteBuildError);
    expect(() => noteComposition(form({ anamnese: '   ' }), 'p1')).toThrowError(expect.objectContaining({ code: 'EMPTY' }) as Error);
    expect(() => noteComposition(form({ anamnese: 'x', correction: { kind: 'correction', target: 'Composition/c1', targetTitle: 'Journalnotat', reason: ' ' } }), 'p1')).toThrowError(
      expect.objectContaining({ code: 'NO_REASON' }) as Error,
    );
  });

  it('stores pasted markup, emoji and right-to-left text as the characters they are, never as markup', () => {
    const hostile = '<p style="mso-x">Fra Word</p><script>alert(1)</script> & 😀 مرحبا';
    const note = noteComposition(form({ anamnese: hostile }), 'p1');
    const div = (note.section as { text: { div: string } }[])[0]?.text.div ?? '';
    expect(div).not.toContain('<script>');
    expect(div).toContain('&lt;script&gt;');
    expect(noteDetails(note).sections[0]?.paragraphs).toEqual([hostile]);
  });

  it('keeps a note of 200,000 characters whole', () => {
    const long = 'Lang tekst. '.repeat(16_667).slice(0, 200_000);
    const note = noteComposition(form({ anamnese: long }), 'p1');
    expect(noteDetails(note).sections[0]?.paragraphs.join('')).toBe(long.trim());
    expect(JSON.stringify(note).length).toBeLessThan(1_000_000);
  });

  it('a correction refers to the original, says why, and reads back as one', () => {
    const note = noteComposition(form({ anamnese: 'Riktig dose: 500 mg.', correction: { kind: 'correction', target: 'Composition/c1', targetTitle: 'Journalnotat', reason: 'Feil dose' } }), 'p1');
    expect(note.relatesTo).toEqual([{ code: 'replaces', targetReference: { reference: 'Composition/c1' } }]);
    expect(note.title).toBe('Rettelse: Journalnotat');
    expect(noteComposition(form({ diagnoses: ['R74'], contactType: 'phone' }), 'p1').title).toBe('Telefonkontakt: Akutt øvre luftveisinfeksjon');
    expect(correctionOf(note)).toEqual({ kind: 'correction', reason: 'Feil dose', target: 'Composition/c1' });
    expect(correctionOf(noteComposition(form({ anamnese: 'x' }), 'p1'))).toBeUndefined();
  });

  it('round-trips any form through the Composition back into the form (what a correction starts from)', () => {
    const line = fc.string({ maxLength: 40 }).filter((s) => !/[\r\n]/.test(s) && s.trim() === s && s !== '');
    const section = fc.array(line, { maxLength: 4 }).map((lines) => lines.join('\n'));
    const codes = fc.subarray(['R74', 'R05', 'A03', 'K86', 'T90'], { maxLength: 3 });
    fc.assert(
      fc.property(codes, codes, section, section, section, section, fc.constantFrom('consultation', 'phone', 'video', 'home-visit', 'emergency-centre' as const), (reasons, diagnoses, anamnese, funn, vurdering, tiltak, contactType) => {
        const written = form({ reasons, diagnoses, anamnese, funn, vurdering, tiltak, contactType });
        fc.pre(reasons.length + diagnoses.length > 0 || [anamnese, funn, vurdering, tiltak].some((s) => s !== ''));
        const back = noteFormFrom(noteComposition(written, 'p1'));
        expect(noteFormSchema.parse(back)).toEqual(written);
      }),
      { numRuns: 200 },
    );
  });
});
