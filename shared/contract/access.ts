import { z } from 'zod';
import { patientIdSchema } from './ids';

/**
 * Access by work-related need, as the journal decides it (server/access) and the workstation
 * shows it: the journal enforces, the screen explains. Codes as the journal's
 * break-the-glass-reason code system.
 */
export const selfAuthorisationReasons = ['emergency', 'care-now', 'consultation', 'patient-request', 'other'] as const;

/** The journal's limit on the reason text (server/access/break-the-glass.ts). */
export const MAX_SELF_AUTHORISATION_TEXT = 500;

export const grantSchema = z.object({
  expiresAt: z.iso.datetime({ offset: true }),
  reason: z.enum(selfAuthorisationReasons).or(z.string().max(40)),
  text: z.string().max(MAX_SELF_AUTHORISATION_TEXT),
});
export type Grant = z.infer<typeof grantSchema>;

/** What the chart must say about access, beside what it holds. */
export const chartAccessSchema = z.object({
  /** The journal refused the record (no work-related need): its reason. Nothing beyond demographics is on this PC then. */
  refused: z.string().max(1000).nullable(),
  /** Something of the record is blocked (sperret) for this clinician: that, never what. */
  blocked: z.boolean(),
  /** An active self-authorisation for this patient, when there is one. */
  grant: grantSchema.nullable(),
});
export type ChartAccess = z.infer<typeof chartAccessSchema>;

export const selfAuthoriseInputSchema = z
  .object({
    patientId: patientIdSchema,
    reason: z.enum(selfAuthorisationReasons),
    text: z.string().trim().min(1, 'say why, in your own words').max(MAX_SELF_AUTHORISATION_TEXT),
  })
  .strict();

/** One access to a patient's record, as the journal's access log (innsyn i logg) tells it: who, where, why, what; never content. */
export const accessLogEntrySchema = z.object({
  at: z.string().max(40),
  who: z.string().max(200),
  hpr: z.string().max(20).nullable(),
  organisation: z.string().max(200).nullable(),
  role: z.string().max(40).nullable(),
  /** The basis (gp, gp-office, appointment, ..., self-authorisation) and, for a self-authorisation, its reason. */
  basis: z.string().max(40).nullable(),
  reason: z.string().max(600).nullable(),
  action: z.string().max(40),
  outcome: z.number().int(),
  documents: z.array(z.object({ kind: z.string().max(100), title: z.string().max(300) })).max(200),
});
export type AccessLogEntry = z.infer<typeof accessLogEntrySchema>;

export const accessLogInputSchema = z.object({ patientId: patientIdSchema }).strict();

/** A block (sperring) of one document at the patient's request; the journal records who asked and hides it from all but its author. */
export const recordBlockInputSchema = z
  .object({
    patientId: patientIdSchema,
    document: z.string().regex(/^(Composition|DocumentReference|Observation|Condition|MedicationStatement|AllergyIntolerance|Encounter)\/[A-Za-z0-9.-]{1,64}$/),
    /** The patient's request in the clinician's words, kept with the block. */
    note: z.string().trim().min(1).max(500),
  })
  .strict();
