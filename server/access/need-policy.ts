import type { Queryable } from '../db/database';
import { FhirError } from '../fhir/operation-outcome';
import type { AccessPolicy, Basis, BasisKind, Interaction, VisibilityScope } from '../pipeline/access-policy';
import { practitionerIdOf, type Principal } from '../pipeline/principal';
import { everything, type Visibility } from '../store/visibility';
import { startOfOsloDay } from './oslo-day';
import { relationshipSql, type RelationshipScope } from './relationships';
import { isClinical, recordTypesOf, redactForRole, SHARED_TYPES } from './roles';

export interface NeedPolicyOptions {
  now?: () => Date;
  /** Days before and after today an appointment gives access (0, 0: today only). */
  appointmentDays?: { before: number; after: number };
  /** How long after it ended an encounter still gives access (48 h). */
  recentEncounterHours?: number;
}

const DAY = 24 * 3600 * 1000;
/** Strongest first: the basis written in the audit log is the first one that applies. */
const PRIORITY: readonly BasisKind[] = ['gp', 'gp-office', 'appointment', 'encounter', 'referral', 'care-team', 'self-authorisation'];
/** Parameters naming who wrote a resource: its author sees it even when it is blocked. */
const AUTHOR_PARAMS = ['author', 'requester', 'sender'];

const refuse = (message: string): FhirError => new FhirError(403, 'forbidden', message);

/** Placeholders numbered from `first`, for a Visibility fragment inside the store's statement. */
const placeholders = (first: number) => {
  const params: unknown[] = [];
  return {
    params,
    add: (value: unknown): string => {
      params.push(value);
      return `$${first + params.length - 1}`;
    },
  };
};

/**
 * Security related: the journal's access rules (DOMAIN.md, "Rules the journal must follow").
 * A patient's demographics and the directory are open to everyone with a role (finding a
 * patient); the rest of a patient's record needs a basis: a relationship (work-related need),
 * or a self-authorisation. A secretary sees appointments and encounters (without clinical
 * content) only; a privacy officer reads the log, not the record; a citizen their own access
 * log. Blocks (sperring) hide what they name from everyone but its author, whatever the basis.
 */
export const createNeedPolicy = (options: NeedPolicyOptions = {}): AccessPolicy => {
  const now = options.now ?? (() => new Date());
  const days = options.appointmentDays ?? { before: 0, after: 0 };
  const recentMs = (options.recentEncounterHours ?? 48) * 3600 * 1000;

  const scopeOf = (principal: Principal): RelationshipScope | undefined => {
    const practitionerId = practitionerIdOf(principal);
    if (!practitionerId || !principal.organizationId || !principal.role || principal.role === 'privacy-officer') {
      return undefined;
    }
    const at = now();
    const today = startOfOsloDay(at);
    return {
      practitionerId,
      principalId: principal.id,
      organizationId: principal.organizationId,
      appointmentFrom: new Date(today.getTime() - days.before * DAY),
      appointmentTo: new Date(today.getTime() + (days.after + 1) * DAY),
      encounterSince: new Date(at.getTime() - recentMs),
      now: at,
    };
  };

  const authorize = (principal: Principal, interaction: Interaction, resourceType: string | undefined): void => {
    if (principal.kind === 'system' || interaction === 'capabilities') {
      return;
    }
    if (principal.kind === 'anonymous') {
      throw refuse('Patient data needs a login: this journal runs the access rules, and an anonymous caller has none of the roles they give access to.');
    }
    if (principal.kind === 'citizen') {
      if (interaction === 'access-log') {
        return;
      }
      throw refuse('A citizen may read the access log of their own record (Patient/{id}/$access-log), nothing else here.');
    }
    const role = principal.role;
    switch (interaction) {
      case 'import':
        throw refuse('Imports are for the journal\'s own tools.');
      case 'break-the-glass':
        if (!isClinical(role)) {
          throw refuse('Self-authorisation is for physicians and nurses giving care.');
        }
        return;
      case 'access-log':
      case 'review':
        if (role !== 'privacy-officer') {
          throw refuse('The access log and the review of self-authorisations are for the privacy officer (and a patient\'s own log for the patient).');
        }
        return;
      case 'transaction':
      case 'batch':
        // Each entry is authorised as the interaction it is.
        return;
      case 'login':
        throw refuse('Login is not an interaction on the journal.');
      case 'read':
      case 'vread':
      case 'search':
      case 'history':
      case 'everything':
      case 'create':
      case 'update':
        break;
      default: {
        const unexpected: never = interaction;
        throw new Error(`unknown interaction ${String(unexpected)}`);
      }
    }
    if (resourceType === undefined || resourceType === 'AuditEvent') {
      // System history is filtered by visibility; AuditEvents are read through the audit log
      // reader (access-log), and no one writes one (405 from the journal).
      return;
    }
    if (SHARED_TYPES.has(resourceType)) {
      const writing = interaction === 'create' || interaction === 'update';
      if (writing && resourceType === 'Patient' && (role === undefined || role === 'privacy-officer')) {
        throw refuse('Registering or changing a patient is for physicians, nurses and secretaries.');
      }
      if (resourceType === 'Patient' && role === undefined) {
        throw refuse('Finding a patient needs a role at an organisation; this login has none.');
      }
      return;
    }
    const types = recordTypesOf(role);
    if (types !== 'all' && !types.has(resourceType)) {
      throw refuse(
        role === 'secretary'
          ? `A secretary sees administrative data only (Patient, Appointment, Encounter, Organization, Practitioner), not ${resourceType}.`
          : `Your role (${role ?? 'none'}) gives no access to ${resourceType} in a patient's record.`,
      );
    }
  };

  const visibility = (principal: Principal, { patients, unblocked = false, ofType, compartment = false }: VisibilityScope = {}): Visibility => {
    if (principal.kind === 'system') {
      return everything;
    }
    const practitionerId = practitionerIdOf(principal);
    if (!practitionerId || !principal.role) {
      return (alias) => ({ sql: `${alias}.resource_type IN ('Practitioner', 'PractitionerRole', 'Organization')`, params: [] });
    }
    if (ofType !== undefined && SHARED_TYPES.has(ofType)) {
      // Security related: demographics and the directory should reference only each other, but a
      // reference can name anything (Patient.generalPractitioner -> Condition/x), so an _include
      // could surface another type: the condition keeps to the shared types. It stays small, as
      // the name search runs at each keystroke.
      return (alias) => ({ sql: `${alias}.resource_type IN (${[...SHARED_TYPES].map((t) => `'${t}'`).join(', ')})`, params: [] });
    }
    const types = recordTypesOf(principal.role);
    if (compartment && unblocked && patients?.length === 1) {
      // $everything of a patient the caller has a basis for, with no block applying to them:
      // the store's compartment condition already keeps to that patient, so only the role's
      // types remain to check (the basis was established by the journal just before).
      return types === 'all'
        ? everything
        : (alias, first) => ({ sql: `(${alias}.resource_type IN (${[...SHARED_TYPES].map((t) => `'${t}'`).join(', ')}) OR ${alias}.resource_type = ANY($${first}::text[]))`, params: [[...types]] });
    }
    // Only the whole relationship set needs the clinician's scope (today's window and the like).
    const scope = patients ? undefined : scopeOf(principal);
    return (alias, first) => {
      const { add, params } = placeholders(first);
      // Added where it is used only: PostgreSQL can not type a parameter the statement never uses.
      let mePlaceholder: string | undefined;
      const me = (): string => (mePlaceholder ??= add(practitionerId));
      const need = patients
        ? ((list: string) => (patient: string) => `${patient} = ANY(${list}::text[])`)(add(patients))
        : scope
          ? ((set: string) => (patient: string) => `${patient} IN (SELECT rel.patient_id FROM (${set}) rel)`)(relationshipSql(add, scope))
          : () => 'FALSE';
      const authoredByMe = (type: string, id: string): string =>
        `EXISTS (SELECT 1 FROM search_reference au WHERE au.resource_type = ${type} AND au.id = ${id} AND au.param IN (${AUTHOR_PARAMS.map((p) => `'${p}'`).join(', ')})
           AND ((au.target_type = 'Practitioner' AND au.target_id = ${me()})
             OR (au.target_type = 'PractitionerRole' AND au.target_id IN (SELECT m.id FROM search_reference m WHERE m.target_type = 'Practitioner' AND m.target_id = ${me()} AND m.resource_type = 'PractitionerRole' AND m.param = 'practitioner'))))`;
      const notBlocked = (type: string, id: string, patient: string): string =>
        unblocked && patients
          ? 'TRUE'
          : `(NOT EXISTS (SELECT 1 FROM access_block ab WHERE ab.patient_id = ${patient} AND (
             (ab.kind = 'document' AND ab.target_type = ${type} AND ab.target_id = ${id})
          OR (ab.kind = 'clinician' AND ab.actor_id = ${me()})
          OR (ab.kind = 'category' AND (ab.resource_type IS NULL OR ab.resource_type = ${type})
              AND (ab.code IS NULL OR EXISTS (SELECT 1 FROM search_token bt WHERE bt.resource_type = ${type} AND bt.id = ${id} AND bt.param IN ('type', 'category', 'code') AND bt.code = ab.code))
              AND (ab.lo IS NULL OR EXISTS (SELECT 1 FROM search_date bd WHERE bd.resource_type = ${type} AND bd.id = ${id} AND bd.lo < ab.hi AND bd.hi > ab.lo)))))
          OR ${authoredByMe(type, id)})`;
      const typeGate = types === 'all' ? '' : `WHEN NOT (${alias}.resource_type = ANY(${add([...types])}::text[])) THEN FALSE`;
      const sql = `(CASE
        WHEN ${alias}.resource_type IN (${[...SHARED_TYPES].map((t) => `'${t}'`).join(', ')}) THEN TRUE
        ${typeGate}
        WHEN ${alias}.resource_type = 'Provenance' THEN EXISTS (
          SELECT 1 FROM search_reference pt JOIN search_reference pp ON pp.resource_type = pt.target_type AND pp.id = pt.target_id AND pp.param = 'patient' AND pp.target_type = 'Patient'
          WHERE pt.resource_type = 'Provenance' AND pt.id = ${alias}.id AND pt.param = 'target' AND ${need('pp.target_id')} AND ${notBlocked('pt.target_type', 'pt.target_id', 'pp.target_id')})
        ELSE EXISTS (
          SELECT 1 FROM search_reference pr WHERE pr.resource_type = ${alias}.resource_type AND pr.id = ${alias}.id AND pr.param = 'patient' AND pr.target_type = 'Patient'
            AND ${need('pr.target_id')} AND ${notBlocked(`${alias}.resource_type`, `${alias}.id`, 'pr.target_id')})
      END)`;
      return { sql, params };
    };
  };

  const bases = async (db: Queryable, principal: Principal, patientIds: readonly string[]): Promise<Map<string, Basis>> => {
    const found = new Map<string, Basis>();
    if (patientIds.length === 0) {
      return found;
    }
    if (principal.kind === 'system') {
      return new Map(patientIds.map((id) => [id, { kind: 'system' }]));
    }
    const scope = scopeOf(principal);
    if (!scope) {
      return found;
    }
    // The common case first, in one small statement: the patient is on the clinician's or the
    // office's list (the GP references, the office's roles, and the blocks that apply to the
    // caller). Only the others take the whole relationship statement.
    const unique = [...new Set(patientIds)];
    const { rows: listing } = await db.query<{ k: 'gp' | 'role' | 'block'; id: string; a: string | null; b: string | null }>(
      `SELECT 'gp' AS k, id, target_type AS a, target_id AS b FROM search_reference WHERE resource_type = 'Patient' AND id = ANY($1::text[]) AND param = 'general-practitioner'
       UNION ALL SELECT 'role', o.id, (SELECT p.target_id FROM search_reference p WHERE p.resource_type = 'PractitionerRole' AND p.id = o.id AND p.param = 'practitioner' AND p.target_type = 'Practitioner' LIMIT 1), NULL
         FROM search_reference o WHERE o.target_type = 'Organization' AND o.target_id = $2 AND o.resource_type = 'PractitionerRole' AND o.param = 'organization'
       UNION ALL SELECT 'role', m.id, m.target_id, NULL FROM search_reference m WHERE m.target_type = 'Practitioner' AND m.target_id = $3 AND m.resource_type = 'PractitionerRole' AND m.param = 'practitioner'
       UNION ALL SELECT 'block', patient_id, NULL, NULL FROM access_block WHERE patient_id = ANY($1::text[]) AND (kind <> 'clinician' OR actor_id = $3)`,
      [unique, scope.organizationId, scope.practitionerId],
    );
    const mine = new Set(listing.filter((row) => row.k === 'role' && row.a === scope.practitionerId).map((row) => row.id));
    const office = new Set(listing.filter((row) => row.k === 'role').map((row) => row.id));
    const blocked = new Set(listing.filter((row) => row.k === 'block').map((row) => row.id));
    for (const row of listing.filter((candidate) => candidate.k === 'gp')) {
      const kind: BasisKind | undefined =
        (row.a === 'Practitioner' && row.b === scope.practitionerId) || (row.a === 'PractitionerRole' && mine.has(row.b ?? ''))
          ? 'gp'
          : (row.a === 'Organization' && row.b === scope.organizationId) || (row.a === 'PractitionerRole' && office.has(row.b ?? ''))
            ? 'gp-office'
            : undefined;
      if (kind && found.get(row.id)?.kind !== 'gp') {
        found.set(row.id, { kind, blocked: blocked.has(row.id) });
      }
    }
    const rest = patientIds.filter((id) => !found.has(id));
    if (rest.length === 0) {
      return found;
    }
    const params: unknown[] = [];
    const add = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    const restrict = add([...new Set(rest)]);
    const { rows } = await db.query<{ patient_id: string; basis: BasisKind; grant_id: string | null; reason: string | null }>(
      `SELECT DISTINCT patient_id, basis, grant_id, reason FROM (${relationshipSql(add, scope, restrict)}) rel`,
      params,
    );
    for (const row of rows.sort((a, b) => PRIORITY.indexOf(a.basis) - PRIORITY.indexOf(b.basis))) {
      if (!found.has(row.patient_id)) {
        found.set(row.patient_id, { kind: row.basis, blocked: blocked.has(row.patient_id), ...(row.grant_id ? { grantId: row.grant_id } : {}), ...(row.reason ? { reason: row.reason } : {}) });
      }
    }
    return found;
  };

  return {
    authorize,
    visibility,
    needsBasis: (resourceType) => !SHARED_TYPES.has(resourceType) && resourceType !== 'AuditEvent',
    bases,
    refusal: (principal, patientId) =>
      refuse(
        isClinical(principal.role)
          ? `No work-related need for this patient's record: Patient/${patientId} is not on your or your office's GP list, and has no appointment today, no open or recent encounter, no referral and no care team with you or your organisation. If you need the record now, you can self-authorise: POST Patient/${patientId}/$break-the-glass with a reason (access for a limited time, logged, and reviewed by the privacy officer).`
          : `No work-related need for this patient's record: Patient/${patientId} has no appointment, encounter or GP listing at your organisation.`,
      ),
    redact: (principal, stored) => redactForRole(principal.role, stored),
    blocked: async (db, principal, patientIds) => {
      if (patientIds.length === 0 || principal.kind === 'system') {
        return new Set();
      }
      const { rows } = await db.query<{ patient_id: string }>(
        "SELECT DISTINCT patient_id FROM access_block WHERE patient_id = ANY($1::text[]) AND (kind <> 'clinician' OR actor_id = $2)",
        [[...new Set(patientIds)], practitionerIdOf(principal) ?? ''],
      );
      return new Set(rows.map((row) => row.patient_id));
    },
  };
};
