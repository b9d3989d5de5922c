import { z } from 'zod';
import { fhirResourceSchema } from './sync';

/** The read side of the journal UI: worklists, merged patient search, version history, signatures. */

const resourceIdSchema = z.string().regex(/^[A-Za-z0-9.-]{1,64}$/);
const resourceTypeSchema = z.string().regex(/^[A-Z][A-Za-z]{1,63}$/);

export const worklistNames = ['today', 'gp-list'] as const;
export const worklistNameSchema = z.enum(worklistNames);
export type WorklistName = z.infer<typeof worklistNameSchema>;

/** One row: the patient as cached (null when the chart is not fetched yet) and, on today's list, the appointment. */
export const worklistRowSchema = z.object({
  patientId: resourceIdSchema,
  patient: fhirResourceSchema.nullable(),
  appointment: fhirResourceSchema.nullable(),
});
export type WorklistRow = z.infer<typeof worklistRowSchema>;

export const worklistSchema = z.object({
  list: worklistNameSchema,
  rows: z.array(worklistRowSchema).max(10_000),
  /** When the list was last fetched from the journal; null when it never was on this PC. */
  refreshedAt: z.string().max(40).nullable(),
});
export type Worklist = z.infer<typeof worklistSchema>;

/**
 * `cache` answers from this PC at once; `all` also asks the journal (with the clinician's token, so
 * the journal's access rules decide) and merges, de-duplicated by id.
 */
export const searchScopes = ['cache', 'all'] as const;

export const patientSearchInputSchema = z
  .object({
    query: z.string().min(1).max(100),
    limit: z.number().int().min(1).max(100).optional(),
    scope: z.enum(searchScopes).optional(),
  })
  .strict();

export const patientHitSchema = z.object({
  patient: fhirResourceSchema,
  /** Where it was found: a journal-only hit is opened by pulling its chart. */
  source: z.enum(['cache', 'journal', 'both']),
});
export type PatientHit = z.infer<typeof patientHitSchema>;

export const patientSearchOutputSchema = z.object({
  hits: z.array(patientHitSchema).max(100),
  /** What the journal said: not asked (scope cache), answered, unreachable (offline), or refused/failed. */
  journal: z.enum(['not-asked', 'answered', 'offline', 'failed']),
});
export type PatientSearchOutput = z.infer<typeof patientSearchOutputSchema>;

export const resourceRefInputSchema = z.object({ resourceType: resourceTypeSchema, id: resourceIdSchema }).strict();

/** Every version of one resource, newest first, with who changed it and when. */
export const resourceHistorySchema = z.object({
  versions: z
    .array(
      z.object({
        versionId: z.string().max(64),
        lastUpdated: z.string().max(40).nullable(),
        resource: fhirResourceSchema,
      }),
    )
    .max(1_000),
  /** `journal` when the journal answered; `cache` offline (only the versions this PC holds). */
  source: z.enum(['journal', 'cache']),
});
export type ResourceHistory = z.infer<typeof resourceHistorySchema>;

/** The outcome of checking a resource's signature (its Provenance) against this workstation's trust anchors. */
export const signatureCheckSchema = z.object({
  status: z.enum(['verified', 'invalid', 'unsigned', 'unverifiable']),
  /** shared/signing's failure code when not verified (DIGEST_MISMATCH, UNTRUSTED_CHAIN, ...). */
  code: z.string().max(64).nullable(),
  signer: z.object({ name: z.string().max(200), hpr: z.string().max(20).nullable(), organisation: z.string().max(200).nullable(), test: z.boolean() }).nullable(),
  signedAt: z.string().max(40).nullable(),
});
export type SignatureCheck = z.infer<typeof signatureCheckSchema>;
