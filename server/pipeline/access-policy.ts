import type { Queryable } from '../db/database';
import { FhirError } from '../fhir/operation-outcome';
import type { StoredResource } from '../store/resource-store';
import { everything, type Visibility } from '../store/visibility';
import type { Principal } from './principal';

export type Interaction =
  | 'read'
  | 'vread'
  | 'search'
  | 'create'
  | 'update'
  | 'history'
  | 'everything'
  | 'transaction'
  | 'batch'
  | 'import'
  | 'capabilities'
  /** Card login (/auth/token), written by the login itself; never authorised by the policy. */
  | 'login'
  /** Self-authorisation (`Patient/{id}/$break-the-glass`) and listing one's grants. */
  | 'break-the-glass'
  /** The patient's access log, AuditEvent reads, and the privacy officer's review. */
  | 'access-log'
  | 'review';

/**
 * Why a principal may see a patient's record: a relationship (work-related need), a
 * self-authorisation, or finding the patient by demographics. Written with every audit record.
 */
export type BasisKind =
  | 'gp'
  | 'gp-office'
  | 'appointment'
  | 'encounter'
  | 'referral'
  | 'care-team'
  | 'self-authorisation'
  | 'patient-search'
  | 'registration'
  | 'own-record'
  | 'privacy-officer'
  | 'system'
  | 'open';

export interface Basis {
  kind: BasisKind;
  /** Self-authorisation: the grant and its reason, as the clinician stated it. */
  grantId?: string;
  reason?: string;
  /** A block (sperring) of this patient's record applies to the principal: the answer says so. */
  blocked?: boolean;
}

/**
 * Decides, for every interaction, whether the principal may do it and what it may see.
 * `authorize` refuses by role and interaction (403); `bases` gives the principal's basis for
 * patients' records, and the journal refuses a patient-scoped interaction without one
 * (`refusal`); `visibility` is the SQL condition the store applies wherever resources surface.
 */
export interface VisibilityScope {
  patients?: readonly string[];
  unblocked?: boolean;
  ofType?: string;
  /** Every row the statement surfaces is in the compartment of the one patient in `patients` ($everything). */
  compartment?: boolean;
}

export interface AccessPolicy {
  authorize(principal: Principal, interaction: Interaction, resourceType: string | undefined): void;
  /**
   * With `patients`, the journal has established a basis for exactly those patients: their
   * records (minus what is blocked) and the shared, non-clinical resources are in view; with
   * `unblocked` too, the caller's bases said no block applies to them, and the block conditions
   * are left out. Without `patients`, the principal's whole relationship set is in view
   * (searches and histories across patients). With `ofType`, the query surfaces only that type
   * and what its references include: for a type that needs no basis (demographics, the
   * directory) the condition is then a cheap one.
   */
  visibility(principal: Principal, scope?: VisibilityScope): Visibility;
  /** Whether resources of this type belong to a patient's record that needs a basis. */
  needsBasis(resourceType: string): boolean;
  /** The principal's basis for each of these patients; a patient without one is absent. */
  bases(db: Queryable, principal: Principal, patientIds: readonly string[]): Promise<Map<string, Basis>>;
  /** The refusal of a patient's record without a basis: says why, and what the clinician can do. */
  refusal(principal: Principal, patientId: string): FhirError;
  /** What of a resource this principal may see (a secretary: an Encounter without clinical content). */
  redact(principal: Principal, stored: StoredResource): StoredResource;
  /** Of these patients, those with a block (sperring) that hides something from this principal. */
  blocked(db: Queryable, principal: Principal, patientIds: readonly string[]): Promise<Set<string>>;
}

/**
 * Everyone may do and see everything: only for explicit test set-ups and the journal's own tools
 * that prove something other than access control. Named for what it is so no one mistakes it
 * for access control; the journal server runs `server/access`'s policy unless told otherwise.
 */
export const openPolicy: AccessPolicy = {
  authorize: () => undefined,
  visibility: () => everything,
  needsBasis: () => false,
  bases: (_db, _principal, patientIds) => Promise.resolve(new Map(patientIds.map((id) => [id, { kind: 'open' }]))),
  refusal: () => new FhirError(403, 'forbidden', 'Refused.'),
  redact: (_principal, stored) => stored,
  blocked: () => Promise.resolve(new Set()),
};
