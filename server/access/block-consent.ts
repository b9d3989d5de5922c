import { z } from 'zod';
import { parseFhirDateRange } from '../fhir/fhir-date';
import type { Json } from '../fhir/json-path';
import { FhirError } from '../fhir/operation-outcome';

/**
 * Blocking (sperring) as FHIR Consent: at the patient's request a document, a category (a kind of
 * note and/or a date range) or everything for a named clinician is hidden. A Consent is a block
 * when its category carries BLOCK_CATEGORY; each provision (the top one and its nested ones) is
 * one block:
 *
 *   provision.data[].reference = Composition/<id>           -> that document
 *   provision.class[0].code = <type>, provision.code[0] = <kind of note>, provision.period
 *                                                            -> a category
 *   provision.actor[].reference = Practitioner/<id>          -> everything, for that clinician
 *
 * Only an `active` block hides; a later version with another status lifts it (the Consent's
 * history keeps both).
 */
export const BLOCK_CATEGORY_SYSTEM = 'http://akson.example/fhir/CodeSystem/consent-category';
export const BLOCK_CATEGORY_CODE = 'sperring';
/** On an answer where a block hid something of the patient: that, never what. */
export const BLOCKED_MARKER = { system: 'http://akson.example/fhir/CodeSystem/access', code: 'blocked', display: 'Noe informasjon er sperret' } as const;

const reference = (pattern: RegExp) => z.object({ reference: z.string().max(200).regex(pattern) }).loose();
const idPart = '[A-Za-z0-9\\-.]{1,64}';
const anyResource = new RegExp(`^[A-Z][A-Za-z]+/${idPart}$`);
const practitioner = new RegExp(`^Practitioner/${idPart}$`);
const fhirDate = z.string().max(40).refine((value) => parseFhirDateRange(value) !== undefined, 'a FHIR date or dateTime');
const code = z.string().min(1).max(100);

const provisionShape = z
  .object({
    type: z.enum(['deny', 'permit']).optional(),
    data: z.array(z.object({ meaning: z.string().max(20).optional(), reference: reference(anyResource) }).loose()).max(100).optional(),
    actor: z.array(z.object({ reference: reference(practitioner) }).loose()).max(20).optional(),
    class: z.array(z.object({ code: code }).loose()).max(1).optional(),
    code: z.array(z.object({ coding: z.array(z.object({ code: code }).loose()).min(1).max(1) }).loose()).max(1).optional(),
    period: z.object({ start: fhirDate.optional(), end: fhirDate.optional() }).loose().optional(),
  })
  .loose();

type Provision = z.infer<typeof provisionShape> & { provision?: unknown };

const blockConsent = z
  .object({
    status: z.enum(['draft', 'proposed', 'active', 'rejected', 'inactive', 'entered-in-error']),
    patient: reference(new RegExp(`^Patient/${idPart}$`)),
    provision: provisionShape.extend({ provision: z.array(provisionShape).max(50).optional() }),
  })
  .loose();

export interface BlockRow {
  patientId: string;
  kind: 'document' | 'category' | 'clinician';
  targetType?: string;
  targetId?: string;
  resourceType?: string;
  code?: string;
  /** ISO instants, or -infinity / infinity for an open side. */
  lo?: string;
  hi?: string;
  actorId?: string;
}

export const isBlockConsent = (resourceType: string, resource: Json): boolean =>
  resourceType === 'Consent' &&
  Array.isArray(resource.category) &&
  (resource.category as unknown[]).some(
    (concept) =>
      typeof concept === 'object' &&
      concept !== null &&
      Array.isArray((concept as { coding?: unknown }).coding) &&
      ((concept as { coding: unknown[] }).coding).some(
        (coding) => typeof coding === 'object' && coding !== null && (coding as { system?: unknown; code?: unknown }).system === BLOCK_CATEGORY_SYSTEM && (coding as { code?: unknown }).code === BLOCK_CATEGORY_CODE,
      ),
  );

const rowsOf = (patientId: string, provision: Provision): BlockRow[] => {
  const rows: BlockRow[] = [];
  for (const item of provision.data ?? []) {
    const [targetType, targetId] = item.reference.reference.split('/');
    rows.push({ patientId, kind: 'document', ...(targetType ? { targetType } : {}), ...(targetId ? { targetId } : {}) });
  }
  for (const actor of provision.actor ?? []) {
    rows.push({ patientId, kind: 'clinician', actorId: actor.reference.reference.slice('Practitioner/'.length) });
  }
  const resourceType = provision.class?.[0]?.code;
  const kind = provision.code?.[0]?.coding[0]?.code;
  const start = provision.period?.start === undefined ? undefined : parseFhirDateRange(provision.period.start);
  const end = provision.period?.end === undefined ? undefined : parseFhirDateRange(provision.period.end);
  if (resourceType !== undefined || kind !== undefined || provision.period !== undefined) {
    rows.push({
      patientId,
      kind: 'category',
      ...(resourceType ? { resourceType } : {}),
      ...(kind ? { code: kind } : {}),
      ...(provision.period ? { lo: start?.lo.toISOString() ?? '-infinity', hi: end?.hi.toISOString() ?? 'infinity' } : {}),
    });
  }
  return rows;
};

/**
 * The blocks a block Consent makes (none unless it is active). Security related: a malformed
 * block is refused (400) rather than stored as something that hides less than the patient asked.
 */
export const blockRowsOf = (resource: Json): BlockRow[] => {
  const parsed = blockConsent.safeParse(resource);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FhirError(400, 'invalid', `This block (Consent with category ${BLOCK_CATEGORY_CODE}) is malformed at ${['Consent', ...(issue?.path ?? []).map(String)].join('.')}: ${issue?.message ?? 'invalid'}.`);
  }
  const consent = parsed.data;
  const patientId = consent.patient.reference.slice('Patient/'.length);
  const provisions: Provision[] = [consent.provision, ...(consent.provision.provision ?? [])];
  const rows = provisions.flatMap((provision) => rowsOf(patientId, provision));
  if (rows.length === 0) {
    throw new FhirError(400, 'invalid', 'A block names what it hides: a document (provision.data), a category (provision.class, provision.code, provision.period) or a clinician (provision.actor).', ['Consent.provision']);
  }
  if (rows.some((row) => row.kind === 'document' && row.targetType === 'Patient')) {
    throw new FhirError(400, 'invalid', 'A block hides parts of the record, not the patient themselves: finding a patient stays possible.', ['Consent.provision.data']);
  }
  return consent.status === 'active' ? rows : [];
};
