import { z } from 'zod';
import { chartAccessSchema } from './access';
import { patientIdSchema } from './ids';
import { cardFailureCodes, pinSchema } from './session';

/** A FHIR resource crossing the contract: checked for shape and size, its content is the journal's to validate. */
export const fhirResourceSchema = z
  .looseObject({
    resourceType: z.string().regex(/^[A-Z][A-Za-z]{1,63}$/),
    id: z.string().regex(/^[A-Za-z0-9.-]{1,64}$/).optional(),
    meta: z.looseObject({ versionId: z.string().max(64).optional(), lastUpdated: z.string().max(40).optional() }).optional(),
  })
  .refine((resource) => JSON.stringify(resource).length <= 1_000_000, 'a resource is at most 1 MB');
export type FhirResourceValue = z.infer<typeof fhirResourceSchema>;

/** What the workstation may write through the contract (Patient and administrative types are the journal's). */
export const writableResourceTypes = [
  'Composition',
  'Condition',
  'Observation',
  'MedicationStatement',
  'MedicationRequest',
  'AllergyIntolerance',
  'Flag',
  'Communication',
  'DocumentReference',
  'ServiceRequest',
  'Encounter',
] as const;

export const syncStatusSchema = z.object({
  /** False while the journal can not be reached; changes are kept and sent when it is back. */
  online: z.boolean(),
  syncing: z.boolean(),
  pending: z.number().int().nonnegative(),
  oldestPendingAt: z.string().nullable(),
  lastSuccessfulSyncAt: z.string().nullable(),
  conflicts: z.number().int().nonnegative(),
  failed: z.number().int().nonnegative(),
  lastError: z.string().max(500).nullable(),
  needsLogin: z.boolean(),
});
export type SyncStatusValue = z.infer<typeof syncStatusSchema>;

export const conflictSchema = z.object({
  id: z.number().int().positive(),
  resourceType: z.string(),
  resourceId: z.string(),
  /** The change made here, as it was saved. */
  mine: z.unknown(),
  /** The journal's current version, which someone else saved first. */
  theirs: fhirResourceSchema,
  createdAt: z.string(),
});

export const saveInputSchema = z
  .object({
    resource: fhirResourceSchema.refine(
      (resource) => (writableResourceTypes as readonly string[]).includes(resource.resourceType),
      'this resource type is not written from the workstation',
    ),
  })
  .strict();

export const savedChangeSchema = z.object({
  clientId: z.uuid(),
  resourceType: z.string(),
  resourceId: z.string(),
  /** When it was durably saved on this PC (it reaches the journal when online). */
  savedAt: z.string(),
});

export const resolveInputSchema = z
  .object({
    conflictId: z.number().int().positive(),
    keep: z.enum(['mine', 'theirs', 'merged']),
    /** The merged version, for keep: 'merged': a resource type the workstation writes (and the conflict's own, checked by core). */
    merged: fhirResourceSchema
      .refine((resource) => (writableResourceTypes as readonly string[]).includes(resource.resourceType), 'this resource type is not written from the workstation')
      .optional(),
  })
  .strict()
  .refine((input) => (input.keep === 'merged') === (input.merged !== undefined), 'merged goes with keep: merged, and only with it');

export { patientIdSchema };

export const chartSchema = z.object({
  patientId: z.string(),
  /** Everything cached for the patient, the Patient first. */
  resources: z.array(fhirResourceSchema),
  /** True when the answer came from this PC's cache (a fresh pull follows in the background). */
  fromCache: z.boolean(),
  /**
   * The chart's changes made on this PC that the journal does not have yet: waiting to be sent,
   * in conflict, or refused. An item not listed here is as the journal has it.
   */
  unsynced: z.array(z.object({ resourceType: z.string(), resourceId: z.string(), state: z.enum(['pending', 'failed', 'conflict']) })),
  /** Refused, blocked, self-authorised: what the journal said of this clinician's access to the record. */
  access: chartAccessSchema,
});

/** An autosaved draft (a note being written): kept in the encrypted cache until saved or thrown away. */
export const draftKeySchema = z.string().regex(/^[\w.:-]{1,128}$/);
export const draftSchema = z.object({
  key: draftKeySchema,
  patientId: patientIdSchema.nullable(),
  value: z.unknown(),
  updatedAt: z.string(),
});
export const draftSaveInputSchema = z
  .object({ key: draftKeySchema, patientId: patientIdSchema.nullable(), value: z.unknown() })
  .strict()
  .refine((input) => JSON.stringify(input.value ?? null).length <= 1_000_000, 'a draft is at most 1 MB');

/** A change the journal refused (4xx other than a conflict), kept with its reason. */
export const failedChangeSchema = z.object({
  seq: z.number().int().positive(),
  resourceType: z.string(),
  resourceId: z.string(),
  patientId: z.string().nullable(),
  /** The journal's reason (its OperationOutcome text), for the clinician and support. */
  reason: z.string().nullable(),
  savedAt: z.string(),
});

/** Why a signature was not made: what the card answered, put into the clinician's words by the renderer. */
export const signFailureCodes = cardFailureCodes;

export const signNoteInputSchema = z
  .object({
    /** The note as written: a Composition for a patient, without id (it gets one when signed). */
    composition: fhirResourceSchema.refine((resource) => resource.resourceType === 'Composition' && resource.id === undefined, 'a new Composition, without id'),
    /** Crosses once for this signature: the card asks for it for every signature. */
    pin: pinSchema,
  })
  .strict();

export const signNoteOutputSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), saved: savedChangeSchema }),
  z.object({ ok: z.literal(false), code: z.enum(signFailureCodes) }),
]);
