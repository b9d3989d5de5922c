import { z } from 'zod';

/** How the patient was met: the contact types of a Norwegian GP or emergency-centre note. */
export const contactTypes = ['consultation', 'phone', 'video', 'home-visit', 'emergency-centre'] as const;
export type ContactType = (typeof contactTypes)[number];

/** The free-text sections of a note, in the order a clinician writes them. */
export const noteSections = ['anamnese', 'funn', 'vurdering', 'tiltak', 'fritekst'] as const;
export type NoteSection = (typeof noteSections)[number];

/** A signed note this one corrects, or marks as entered in error; the original is never changed. */
const correctionSchema = z.object({
  kind: z.enum(['correction', 'entered-in-error']),
  /** `Composition/<id>` of the note corrected. */
  target: z.string().regex(/^Composition\/[A-Za-z0-9.-]{1,64}$/),
  /** What the original was called and when it was written, for the editor's heading. */
  targetTitle: z.string().max(300),
  targetDate: z.string().max(40).optional(),
  reason: z.string().max(2_000),
});

/** Every section is bounded only by the contract's 1 MB per resource: a long note saves whole. */
const text = z.string().max(400_000);

/**
 * A note being written, as the editor holds it and as its autosaved draft stores it. Codes are
 * ICPC-2 codes (checked against the list when the note is built); the first diagnosis is the main one.
 */
export const noteFormSchema = z.object({
  contactType: z.enum(contactTypes),
  reasons: z.array(z.string().max(10)).max(20),
  diagnoses: z.array(z.string().max(10)).max(20),
  anamnese: text,
  funn: text,
  vurdering: text,
  tiltak: text,
  fritekst: text,
  correction: correctionSchema.optional(),
});
export type NoteForm = z.infer<typeof noteFormSchema>;
export type NoteCorrection = z.infer<typeof correctionSchema>;

export const emptyNoteForm = (contactType: ContactType = 'consultation'): NoteForm => ({
  contactType,
  reasons: [],
  diagnoses: [],
  anamnese: '',
  funn: '',
  vurdering: '',
  tiltak: '',
  fritekst: '',
});

/** The draft key of the one note being written for a patient (the contract's draft key pattern). */
export const noteDraftKey = (patientId: string): string => `note.${patientId}`;

/** Whether the clinician has written anything that would be lost. */
export const hasContent = (form: NoteForm): boolean =>
  form.reasons.length > 0 || form.diagnoses.length > 0 || noteSections.some((section) => form[section].trim() !== '') || (form.correction?.reason.trim() ?? '') !== '';
