import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { Database, Queryable } from '../db/database';
import type { Json } from '../fhir/json-path';
import { FhirError, notFound } from '../fhir/operation-outcome';

/** The reasons a clinician may give for opening a record outside their relationships. */
export const BREAK_THE_GLASS_REASONS = {
  emergency: 'Øyeblikkelig hjelp: the patient needs help now',
  'care-now': 'The patient is in my care now, but the relationship is not registered yet',
  consultation: 'A colleague treating the patient asked me for help',
  'patient-request': 'The patient asked me to look at the record',
  other: 'Another reason, stated in the text',
} as const;
export const BREAK_THE_GLASS_REASON_SYSTEM = 'http://akson.example/fhir/CodeSystem/break-the-glass-reason';
export const MAX_REASON_TEXT = 500;
export const DEFAULT_GRANT_HOURS = 4;

type ReasonCode = keyof typeof BREAK_THE_GLASS_REASONS;
const reasonCodes = Object.keys(BREAK_THE_GLASS_REASONS) as [ReasonCode, ...ReasonCode[]];

const parameter = z.object({ name: z.string() }).loose();
const request = z.object({
  resourceType: z.literal('Parameters'),
  parameter: z.array(parameter).max(10),
});

export interface GrantRequest {
  reasonCode: ReasonCode;
  reasonText: string;
}

/** The reason (a code from the list, valueCode or valueCoding) and the text, or a precise 400. */
export const parseGrantRequest = (body: unknown): GrantRequest => {
  const parsed = request.safeParse(body);
  if (!parsed.success) {
    throw new FhirError(400, 'invalid', 'Send a Parameters resource with "reason" (a code) and "text" (why, in your words).');
  }
  const find = (name: string): Json | undefined => parsed.data.parameter.find((p) => p.name === name);
  const reason = find('reason');
  const code = typeof reason?.valueCode === 'string' ? reason.valueCode : typeof (reason?.valueCoding as Json | undefined)?.code === 'string' ? String((reason?.valueCoding as Json).code) : undefined;
  const checked = z.enum(reasonCodes).safeParse(code);
  if (!checked.success) {
    throw new FhirError(400, 'value', `"reason" must be one of ${reasonCodes.join(', ')} (${BREAK_THE_GLASS_REASON_SYSTEM}).`, ['Parameters.parameter[reason]']);
  }
  const text = find('text')?.valueString;
  if (typeof text !== 'string' || text.trim() === '') {
    throw new FhirError(400, 'required', 'State the reason in your own words ("text"): it is logged with every access and read by the privacy officer.', ['Parameters.parameter[text]']);
  }
  if (text.length > MAX_REASON_TEXT) {
    throw new FhirError(400, 'too-costly', `The reason text may be at most ${MAX_REASON_TEXT} characters (it was ${text.length}).`, ['Parameters.parameter[text]']);
  }
  return { reasonCode: checked.data, reasonText: text.trim() };
};

export interface Grant {
  id: string;
  practitioner: string;
  hpr: string | null;
  organization: string | null;
  role: string | null;
  patientId: string;
  reasonCode: string;
  reasonText: string;
  grantedAt: Date;
  expiresAt: Date;
  reviewedAt: Date | null;
  reviewedBy: string | null;
  reviewComment: string | null;
}

interface GrantRow {
  id: string;
  practitioner: string;
  hpr: string | null;
  organization: string | null;
  role: string | null;
  patient_id: string;
  reason_code: string;
  reason_text: string;
  granted_at: Date | string;
  expires_at: Date | string;
  reviewed_at: Date | string | null;
  reviewed_by: string | null;
  review_comment: string | null;
}

const toGrant = (row: GrantRow): Grant => ({
  id: row.id,
  practitioner: row.practitioner,
  hpr: row.hpr,
  organization: row.organization,
  role: row.role,
  patientId: row.patient_id,
  reasonCode: row.reason_code,
  reasonText: row.reason_text,
  grantedAt: new Date(row.granted_at),
  expiresAt: new Date(row.expires_at),
  reviewedAt: row.reviewed_at === null ? null : new Date(row.reviewed_at),
  reviewedBy: row.reviewed_by,
  reviewComment: row.review_comment,
});

/** The grants table: written once per self-authorisation, changed only by the privacy officer's review. */
export const grantStore = (db: Database) => ({
  async insert(tx: Queryable, grant: Omit<Grant, 'id' | 'reviewedAt' | 'reviewedBy' | 'reviewComment'>): Promise<Grant> {
    const id = randomUUID();
    await tx.query(
      `INSERT INTO access_grant (id, practitioner, hpr, organization, role, patient_id, reason_code, reason_text, granted_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [id, grant.practitioner, grant.hpr, grant.organization, grant.role, grant.patientId, grant.reasonCode, grant.reasonText, grant.grantedAt.toISOString(), grant.expiresAt.toISOString()],
    );
    return { ...grant, id, reviewedAt: null, reviewedBy: null, reviewComment: null };
  },
  async active(practitioner: string, at: Date): Promise<Grant[]> {
    const { rows } = await db.query<GrantRow>('SELECT * FROM access_grant WHERE practitioner = $1 AND expires_at > $2 AND granted_at <= $2 ORDER BY granted_at DESC', [practitioner, at.toISOString()]);
    return rows.map(toGrant);
  },
  async forReview(includeReviewed: boolean, limit: number): Promise<Grant[]> {
    const { rows } = await db.query<GrantRow>(
      `SELECT * FROM access_grant ${includeReviewed ? '' : 'WHERE reviewed_at IS NULL'} ORDER BY granted_at DESC LIMIT $1`,
      [limit],
    );
    return rows.map(toGrant);
  },
  async review(tx: Queryable, id: string, by: string, comment: string, at: Date): Promise<Grant> {
    const { rows } = await tx.query<GrantRow>(
      'UPDATE access_grant SET reviewed_at = $3, reviewed_by = $2, review_comment = $4 WHERE id = $1 AND reviewed_at IS NULL RETURNING *',
      [id, by, at.toISOString(), comment],
    );
    const [row] = rows;
    if (!row) {
      const { rows: existing } = await tx.query('SELECT 1 FROM access_grant WHERE id = $1', [id]);
      throw existing.length === 0 ? notFound(`No self-authorisation ${id}.`) : new FhirError(409, 'conflict', `Self-authorisation ${id} is already reviewed.`);
    }
    return toGrant(row);
  },
});

/** A grant as a Parameters part list (FHIR has no resource for it). */
export const grantParameter = (grant: Grant): Json => ({
  name: 'grant',
  part: [
    { name: 'id', valueString: grant.id },
    { name: 'patient', valueReference: { reference: `Patient/${grant.patientId}` } },
    { name: 'practitioner', valueReference: { reference: grant.practitioner } },
    ...(grant.hpr ? [{ name: 'hpr', valueString: grant.hpr }] : []),
    ...(grant.organization ? [{ name: 'organization', valueReference: { reference: grant.organization } }] : []),
    ...(grant.role ? [{ name: 'role', valueCode: grant.role }] : []),
    { name: 'reason', valueCoding: { system: BREAK_THE_GLASS_REASON_SYSTEM, code: grant.reasonCode, display: BREAK_THE_GLASS_REASONS[grant.reasonCode as ReasonCode] ?? grant.reasonCode } },
    { name: 'text', valueString: grant.reasonText },
    { name: 'granted', valueInstant: grant.grantedAt.toISOString() },
    { name: 'expires', valueInstant: grant.expiresAt.toISOString() },
    ...(grant.reviewedAt ? [{ name: 'reviewed', valueInstant: grant.reviewedAt.toISOString() }, { name: 'reviewedBy', valueString: grant.reviewedBy ?? '' }, { name: 'comment', valueString: grant.reviewComment ?? '' }] : []),
  ],
});

const reviewRequest = z.object({ resourceType: z.literal('Parameters'), parameter: z.array(parameter).max(10) });
export const MAX_REVIEW_COMMENT = 2000;

/** The privacy officer's review: which grant, and a comment (required, bounded). */
export const parseReviewRequest = (body: unknown): { grantId: string; comment: string } => {
  const parsed = reviewRequest.safeParse(body);
  const find = (name: string): Json | undefined => (parsed.success ? parsed.data.parameter.find((p) => p.name === name) : undefined);
  const grantId = find('grant')?.valueString;
  const comment = find('comment')?.valueString;
  if (typeof grantId !== 'string' || !/^[0-9a-f-]{36}$/.test(grantId)) {
    throw new FhirError(400, 'required', 'Name the self-authorisation to mark reviewed ("grant": its id).');
  }
  if (typeof comment !== 'string' || comment.trim() === '' || comment.length > MAX_REVIEW_COMMENT) {
    throw new FhirError(400, 'required', `A review needs a comment of 1-${MAX_REVIEW_COMMENT} characters.`);
  }
  return { grantId, comment: comment.trim() };
};
