import { z } from 'zod';

/** A FHIR resource id as the journal accepts it (server/fhir/validate-resource.ts). */
export const patientIdSchema = z.string().regex(/^[A-Za-z0-9.-]{1,64}$/);
