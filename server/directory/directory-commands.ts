import { HPR_SYSTEM } from '../fhir/identifiers';
import type { Json } from '../fhir/json-path';
import { FhirError } from '../fhir/operation-outcome';
import type { JournalSession } from '../pipeline/journal';
import type { StoredResource } from '../store/resource-store';
import { PRACTITIONER_ROLE_SYSTEM, ROLE_CODES, ROLE_DISPLAY, roleOf, roleTargets, type RoleCode } from './directory-rules';

/** HER-id (the national address register of health organisations), as HL7 Norway writes it. */
export const HER_ID_SYSTEM = 'urn:oid:2.16.578.1.12.4.1.2';

/**
 * What `npm run directory` does, over a JournalSession of an administrative principal: the same
 * pipeline, validation and audit log as the API, so a directory change is recorded with who made
 * it. Each function answers one line for the administrator; errors are FhirErrors with the reason.
 */

const pageOf = async (session: JournalSession, type: string, query: [string, string][] = []): Promise<StoredResource[]> => {
  const found: StoredResource[] = [];
  for (let offset = 0; ; ) {
    const page = await session.search(type, [...query, ['_count', '1000'], ['_offset', String(offset)]]);
    found.push(...page.matches);
    if (page.nextOffset === undefined) {
      return found;
    }
    offset = page.nextOffset;
  }
};

const practitionerByHpr = async (session: JournalSession, hpr: string): Promise<StoredResource> => {
  const found = await session.search('Practitioner', [['identifier', `${HPR_SYSTEM}|${hpr}`]]);
  const practitioner = found.matches[0];
  if (!practitioner) {
    throw new FhirError(404, 'not-found', `No Practitioner with HPR number ${hpr} in the directory.`);
  }
  return practitioner;
};

const nameOf = (resource: Json): string => {
  const [name] = Array.isArray(resource.name) ? (resource.name as { family?: unknown; given?: unknown[] }[]) : [];
  if (typeof resource.name === 'string') {
    return resource.name;
  }
  return [...(Array.isArray(name?.given) ? name.given : []), name?.family].filter((part) => typeof part === 'string').join(' ') || '(no name)';
};

const hprOf = (resource: Json): string => {
  const identifiers = Array.isArray(resource.identifier) ? (resource.identifier as { system?: unknown; value?: unknown }[]) : [];
  const value = identifiers.find((identifier) => identifier.system === HPR_SYSTEM)?.value;
  return typeof value === 'string' ? value : '-';
};

export const addOrganization = async (session: JournalSession, input: { name: string; herId?: string }): Promise<string> => {
  const { stored } = await session.create('Organization', {
    resourceType: 'Organization',
    active: true,
    name: input.name,
    ...(input.herId ? { identifier: [{ use: 'official', system: HER_ID_SYSTEM, value: input.herId }] } : {}),
  });
  return `Organization/${stored.id} "${input.name}" added.`;
};

export const addPractitioner = async (session: JournalSession, input: { hpr: string; family: string; given: string }): Promise<string> => {
  const { stored } = await session.create('Practitioner', {
    resourceType: 'Practitioner',
    active: true,
    identifier: [{ use: 'official', system: HPR_SYSTEM, value: input.hpr }],
    name: [{ use: 'official', family: input.family, given: [input.given] }],
  });
  return `Practitioner/${stored.id} (HPR ${input.hpr}) added.`;
};

export const addRole = async (session: JournalSession, input: { hpr: string; organization: string; role: string }): Promise<string> => {
  if (!(ROLE_CODES as readonly string[]).includes(input.role)) {
    throw new FhirError(400, 'value', `Unknown role "${input.role}"; known: ${ROLE_CODES.join(', ')}.`);
  }
  const role = input.role as RoleCode;
  const practitioner = await practitionerByHpr(session, input.hpr);
  const organization = input.organization.replace(/^Organization\//, '');
  const { stored } = await session.create('PractitionerRole', {
    resourceType: 'PractitionerRole',
    active: true,
    practitioner: { reference: `Practitioner/${practitioner.id}` },
    organization: { reference: `Organization/${organization}` },
    code: [{ coding: [{ system: PRACTITIONER_ROLE_SYSTEM, code: role, display: ROLE_DISPLAY[role] }] }],
  });
  return `PractitionerRole/${stored.id}: HPR ${input.hpr} is ${role} at Organization/${organization}.`;
};

/** Marks a Practitioner (by HPR number) or a PractitionerRole (by id) active or not; nothing is deleted. */
export const setActive = async (session: JournalSession, target: { hpr: string } | { roleId: string }, active: boolean): Promise<string> => {
  const current = 'hpr' in target ? await practitionerByHpr(session, target.hpr) : await session.read('PractitionerRole', target.roleId);
  const { meta: _meta, ...resource } = current.resource;
  const { stored } = await session.update(current.resourceType, current.id, { ...resource, active }, current.versionId);
  return `${stored.resourceType}/${stored.id} is now ${active ? 'active' : 'inactive'} (version ${stored.versionId}).`;
};

/** The directory as an administrator reads it: organisations, clinicians with HPR number, roles. */
export const listDirectory = async (session: JournalSession): Promise<string> => {
  const organisations = await pageOf(session, 'Organization');
  const practitioners = await pageOf(session, 'Practitioner');
  const roles = await pageOf(session, 'PractitionerRole');
  const byId = new Map(practitioners.map((p) => [p.id, p.resource]));
  const lines = [`Organizations (${organisations.length}):`];
  for (const { id, resource } of organisations) {
    lines.push(`  Organization/${id}  ${nameOf(resource)}${resource.active === false ? '  (inactive)' : ''}`);
  }
  lines.push(`Practitioners (${practitioners.length}):`);
  for (const { id, resource } of practitioners) {
    lines.push(`  Practitioner/${id}  HPR ${hprOf(resource)}  ${nameOf(resource)}${resource.active === false ? '  (inactive)' : ''}`);
  }
  lines.push(`Roles (${roles.length}):`);
  for (const { id, resource } of roles) {
    const { practitionerId, organizationId } = roleTargets(resource);
    const role = roleOf(resource);
    const who = practitionerId ? byId.get(practitionerId) : undefined;
    lines.push(
      `  PractitionerRole/${id}  ${'role' in role ? role.role : `(${role.problem})`}  HPR ${who ? hprOf(who) : '?'}  at Organization/${organizationId ?? '?'}${resource.active === false ? '  (inactive)' : ''}`,
    );
  }
  return lines.join('\n');
};
