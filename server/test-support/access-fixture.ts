import type { FastifyRequest } from 'fastify';
import type { Database, Queryable } from '../db/database';
import { BLOCK_CATEGORY_CODE, BLOCK_CATEGORY_SYSTEM } from '../access/block-consent';
import type { RoleCode } from '../directory/directory-rules';
import { FNR_SYSTEM } from '../fhir/identifiers';
import type { Json } from '../fhir/json-path';
import { createNeedPolicy } from '../access/need-policy';
import { anonymous, citizenPrincipal, type Principal } from '../pipeline/principal';
import { ResourceStore } from '../store/resource-store';
import { addClinician } from './directory-fixture';
import { fhir, startTestJournal, type DatabaseKind, type TestJournal } from './test-databases';

/** The test token: `x-test-principal: <name>` names a principal of the fixture (ID-porten and card login are tested elsewhere). */
export const PRINCIPAL_HEADER = 'x-test-principal';

/** A moment on a weekday morning in Oslo; the fixture's clock starts here and tests may move it. */
export const MORNING = new Date('2026-12-02T08:00:00Z');

export interface AccessWorld {
  journal: TestJournal;
  database: Database;
  clock: { at: Date };
  /** Bare ids by name. */
  org: Record<'gpOffice' | 'otherOffice' | 'emergency', string>;
  people: Record<string, { practitionerId: string; roleId: string; principal: Principal }>;
  /** GET/POST as a named principal. */
  as(name: string, path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string> }): ReturnType<typeof fhir>;
  store: ResourceStore;
  create(type: string, body: Json): Promise<string>;
}

const STAFF: [name: string, office: 'gpOffice' | 'otherOffice' | 'emergency', role: RoleCode, hpr: string][] = [
  ['gp', 'gpOffice', 'physician', '565501872'],
  ['colleague', 'gpOffice', 'physician', '565501873'],
  ['nurse', 'gpOffice', 'nurse', '565501874'],
  ['secretary', 'gpOffice', 'secretary', '565501875'],
  ['privacy', 'gpOffice', 'privacy-officer', '565501876'],
  ['otherGp', 'otherOffice', 'physician', '565501877'],
  ['emergency', 'emergency', 'physician', '565501878'],
];

/**
 * The journal with the need policy on a real database, a GP office (a GP, a colleague, a nurse,
 * a secretary, a privacy officer), another office's GP and an emergency-centre doctor, each
 * reachable by the test token. Patients and their records are added by each test file.
 */
export const startAccessWorld = async (kind: DatabaseKind, citizens: readonly string[] = []): Promise<AccessWorld> => {
  const clock = { at: MORNING };
  const principals = new Map<string, Principal>();
  for (const nationalId of citizens) {
    principals.set(`citizen:${nationalId}`, citizenPrincipal(nationalId));
  }
  const authenticate = (request: FastifyRequest): Principal => {
    const name = request.headers[PRINCIPAL_HEADER];
    return (typeof name === 'string' ? principals.get(name) : undefined) ?? anonymous;
  };
  const journal = await startTestJournal(kind, { now: () => clock.at, authenticate, policy: createNeedPolicy({ now: () => clock.at }) });
  const store = new ResourceStore(journal.database, () => clock.at);
  const org = await journal.database.transaction(async (tx) => ({
    gpOffice: (await store.create(tx, 'Organization', { resourceType: 'Organization', active: true, name: 'Fjordvik legekontor' })).id,
    otherOffice: (await store.create(tx, 'Organization', { resourceType: 'Organization', active: true, name: 'Nordby legesenter' })).id,
    emergency: (await store.create(tx, 'Organization', { resourceType: 'Organization', active: true, name: 'Fjordvik legevakt' })).id,
  }));
  const people: AccessWorld['people'] = {};
  for (const [name, office, role, hpr] of STAFF) {
    const added = await journal.database.transaction((tx) => addClinician(store, tx, { hpr, name, role, organizationId: org[office] }));
    const principal: Principal = { kind: 'practitioner', id: `Practitioner/${added.practitionerId}`, hpr, organizationId: org[office], role };
    people[name] = { practitionerId: added.practitionerId, roleId: added.roleId ?? '', principal };
    principals.set(name, principal);
  }
  return {
    journal,
    database: journal.database,
    clock,
    org,
    people,
    store,
    as: (name, path, init = {}) => fhir(`${journal.url}${path}`, { ...init, headers: { ...init.headers, [PRINCIPAL_HEADER]: name } }),
    create: async (type, body) => journal.database.transaction(async (tx: Queryable) => (await store.create(tx, type, { ...body, resourceType: type })).id),
  };
};

export const patientBody = (family: string, nationalId?: string, generalPractitioner?: string): Json => ({
  resourceType: 'Patient',
  name: [{ family, given: ['Test'] }],
  ...(nationalId ? { identifier: [{ system: FNR_SYSTEM, value: nationalId }] } : {}),
  ...(generalPractitioner ? { generalPractitioner: [{ reference: generalPractitioner }] } : {}),
});

/** A block (sperring) Consent for the patient with the given provision. */
export const blockBody = (patientId: string, provision: Json, status = 'active'): Json => ({
  resourceType: 'Consent',
  status,
  scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
  category: [{ coding: [{ system: BLOCK_CATEGORY_SYSTEM, code: BLOCK_CATEGORY_CODE }] }],
  patient: { reference: `Patient/${patientId}` },
  provision: { type: 'deny', ...provision },
});

/** The ids of a Bundle's entries. */
export const entryIds = (bundle: Record<string, unknown>): string[] =>
  ((bundle.entry as { resource: { resourceType: string; id: string } }[] | undefined) ?? []).map((entry) => `${entry.resource.resourceType}/${entry.resource.id}`);
