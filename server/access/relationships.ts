/**
 * Work-related need (tjenstlig behov) as SQL over the search index: for a clinician at an
 * organisation, the patients they have a relationship with, each with the kind of relationship.
 * One statement, driven by index lookups (`search_reference_target`, `search_date_lo`, the
 * owner indexes), so it serves both a single patient (`restrict` = their id) and the whole set
 * (as an uncorrelated subquery PostgreSQL hashes once per query).
 *
 * The relationships:
 * - gp: Patient.generalPractitioner is the clinician or one of their PractitionerRoles;
 * - gp-office: it is their Organization or a PractitionerRole at it (a colleague's list);
 * - appointment: an Appointment in the window (today, by default) with the clinician, a colleague
 *   or a role at their organisation;
 * - encounter: an open Encounter, or one within the recent window (48 h), at their organisation
 *   (serviceProvider) or with them taking part;
 * - referral: an active ServiceRequest whose performer is them, a role at their organisation or
 *   the organisation;
 * - care-team: an active CareTeam with them (or one of their roles) as a member;
 * - self-authorisation: an unexpired grant (`access_grant`).
 */
export interface RelationshipScope {
  /** Bare Practitioner id. */
  practitionerId: string;
  /** "Practitioner/<id>", as grants record it. */
  principalId: string;
  /** Bare Organization id of the role login chose. */
  organizationId: string;
  /** The appointment window [from, to) and the earliest end of a recent encounter. */
  appointmentFrom: Date;
  appointmentTo: Date;
  encounterSince: Date;
  now: Date;
}

/** Encounter statuses that mean "going on now". */
const OPEN_ENCOUNTER = ['planned', 'arrived', 'triaged', 'in-progress', 'onleave'];
const ACTIVE_REFERRAL = ['active', 'on-hold', 'draft'];

/**
 * Rows (patient_id, basis, grant_id, reason). `add` gives a placeholder for a value (numbered by
 * the caller's statement); `restrict`, a placeholder of a text[] of patient ids, limits each
 * branch to those patients where the branch's index allows it.
 */
export const relationshipSql = (add: (value: unknown) => string, scope: RelationshipScope, restrict?: string): string => {
  const me = add(scope.practitionerId);
  const org = add(scope.organizationId);
  const only = (column: string): string => (restrict ? ` AND ${column} = ANY(${restrict}::text[])` : '');
  const myRoles = `SELECT m.id FROM search_reference m WHERE m.target_type = 'Practitioner' AND m.target_id = ${me} AND m.resource_type = 'PractitionerRole' AND m.param = 'practitioner'`;
  const rolesAtOrg = `SELECT o.id FROM search_reference o WHERE o.target_type = 'Organization' AND o.target_id = ${org} AND o.resource_type = 'PractitionerRole' AND o.param = 'organization'`;
  const staffAtOrg = `SELECT p.target_id FROM search_reference p WHERE p.resource_type = 'PractitionerRole' AND p.param = 'practitioner' AND p.target_type = 'Practitioner' AND p.id IN (${rolesAtOrg})`;
  const gp = (basis: string, condition: string): string =>
    `SELECT g.id AS patient_id, '${basis}' AS basis, NULL::text AS grant_id, NULL::text AS reason FROM search_reference g
     WHERE g.resource_type = 'Patient' AND g.param = 'general-practitioner' AND ${condition}${only('g.id')}`;
  const from = add(scope.appointmentFrom.toISOString());
  const to = add(scope.appointmentTo.toISOString());
  const since = add(scope.encounterSince.toISOString());
  const now = add(scope.now.toISOString());
  const byMeOrOrg = (alias: string, type: string, param: string): string =>
    `(SELECT ${alias}.id FROM search_reference ${alias} WHERE ${alias}.target_type = 'Practitioner' AND (${alias}.target_id = ${me} OR ${alias}.target_id IN (${staffAtOrg})) AND ${alias}.resource_type = '${type}' AND ${alias}.param = '${param}'
      UNION SELECT ${alias}.id FROM search_reference ${alias} WHERE ${alias}.target_type = 'PractitionerRole' AND ${alias}.target_id IN (${rolesAtOrg}) AND ${alias}.resource_type = '${type}' AND ${alias}.param = '${param}')`;
  const branches = [
    gp('gp', `g.target_type = 'Practitioner' AND g.target_id = ${me}`),
    gp('gp', `g.target_type = 'PractitionerRole' AND g.target_id IN (${myRoles})`),
    gp('gp-office', `g.target_type = 'Organization' AND g.target_id = ${org}`),
    gp('gp-office', `g.target_type = 'PractitionerRole' AND g.target_id IN (${rolesAtOrg})`),
    // An appointment lasts less than a day: the start-time index bounds the scan from both sides.
    `SELECT ap.target_id, 'appointment', NULL, NULL FROM search_date d
     JOIN search_reference ap ON ap.resource_type = 'Appointment' AND ap.id = d.id AND ap.param = 'patient' AND ap.target_type = 'Patient'
     WHERE d.resource_type = 'Appointment' AND d.param = 'date' AND d.lo >= ${from}::timestamptz - interval '1 day' AND d.lo < ${to}::timestamptz AND d.hi > ${from}::timestamptz${only('ap.target_id')}
       AND d.id IN ${byMeOrOrg('w', 'Appointment', 'practitioner')}`,
    `SELECT e.target_id, 'encounter', NULL, NULL FROM search_reference e
     WHERE e.resource_type = 'Encounter' AND e.param = 'patient' AND e.target_type = 'Patient'${only('e.target_id')}
       AND (e.id IN (SELECT s.id FROM search_reference s WHERE s.target_type = 'Organization' AND s.target_id = ${org} AND s.resource_type = 'Encounter' AND s.param = 'service-provider')
            OR e.id IN (SELECT s.id FROM search_reference s WHERE s.target_type = 'Practitioner' AND s.target_id = ${me} AND s.resource_type = 'Encounter' AND s.param = 'participant'))
       AND (EXISTS (SELECT 1 FROM search_token t WHERE t.resource_type = 'Encounter' AND t.id = e.id AND t.param = 'status' AND t.code IN (${OPEN_ENCOUNTER.map((s) => `'${s}'`).join(', ')}))
            OR EXISTS (SELECT 1 FROM search_date ed WHERE ed.resource_type = 'Encounter' AND ed.id = e.id AND ed.param = 'date' AND ed.hi > ${since}::timestamptz AND ed.lo <= ${now}::timestamptz))`,
    `SELECT q.target_id, 'referral', NULL, NULL FROM search_reference q
     WHERE q.resource_type = 'ServiceRequest' AND q.param = 'patient' AND q.target_type = 'Patient'${only('q.target_id')}
       AND (q.id IN ${byMeOrOrg('f', 'ServiceRequest', 'performer')}
            OR q.id IN (SELECT f.id FROM search_reference f WHERE f.target_type = 'Organization' AND f.target_id = ${org} AND f.resource_type = 'ServiceRequest' AND f.param = 'performer'))
       AND EXISTS (SELECT 1 FROM search_token t WHERE t.resource_type = 'ServiceRequest' AND t.id = q.id AND t.param = 'status' AND t.code IN (${ACTIVE_REFERRAL.map((s) => `'${s}'`).join(', ')}))`,
    `SELECT c.target_id, 'care-team', NULL, NULL FROM search_reference c
     WHERE c.resource_type = 'CareTeam' AND c.param = 'patient' AND c.target_type = 'Patient'${only('c.target_id')}
       AND (c.id IN (SELECT k.id FROM search_reference k WHERE k.target_type = 'Practitioner' AND k.target_id = ${me} AND k.resource_type = 'CareTeam' AND k.param = 'participant')
            OR c.id IN (SELECT k.id FROM search_reference k WHERE k.target_type = 'PractitionerRole' AND k.target_id IN (${myRoles}) AND k.resource_type = 'CareTeam' AND k.param = 'participant'))
       AND NOT EXISTS (SELECT 1 FROM search_token t WHERE t.resource_type = 'CareTeam' AND t.id = c.id AND t.param = 'status' AND t.code IN ('inactive', 'entered-in-error', 'proposed'))`,
    `SELECT a.patient_id, 'self-authorisation', a.id, a.reason_code || ': ' || a.reason_text FROM access_grant a
     WHERE a.practitioner = ${add(scope.principalId)} AND a.expires_at > ${now}::timestamptz AND a.granted_at <= ${now}::timestamptz${only('a.patient_id')}`,
  ];
  return branches.join('\nUNION ALL\n');
};
