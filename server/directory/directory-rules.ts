import type { Json } from '../fhir/json-path';
import { isObject } from '../fhir/json-path';
import { FhirError } from '../fhir/operation-outcome';
import { HPR_SYSTEM } from '../fhir/identifiers';
import type { Principal } from '../pipeline/principal';

/**
 * Security related: the directory is what card login trusts. It maps a card's HPR number to a
 * Practitioner, and takes the clinician's organisation and role from their PractitionerRole; the
 * audit trail and every access rule build on that mapping. A clinician who could write these
 * resources could plant a Practitioner with a colleague's HPR number or give themselves a role in
 * an organisation of their own making. So they are written only by an administrative principal
 * (`npm run directory`, the seed), whatever the access policy says; and what is written must make
 * an unambiguous mapping (one Practitioner per HPR number, roles naming what exists).
 */
export const DIRECTORY_TYPES: ReadonlySet<string> = new Set(['Practitioner', 'PractitionerRole', 'Organization']);

export const isDirectoryType = (type: string): boolean => DIRECTORY_TYPES.has(type);

/** The code system of what a PractitionerRole does at its organisation. */
export const PRACTITIONER_ROLE_SYSTEM = 'http://akson.example/fhir/CodeSystem/practitioner-role';

/** The roles the journal knows; access rules are written for these and nothing else. */
export const ROLE_CODES = ['physician', 'nurse', 'secretary', 'privacy-officer'] as const;
export type RoleCode = (typeof ROLE_CODES)[number];

export const ROLE_DISPLAY: Record<RoleCode, string> = {
  physician: 'Lege',
  nurse: 'Sykepleier',
  secretary: 'Helsesekretær',
  'privacy-officer': 'Personvernombud',
};

const isRoleCode = (code: unknown): code is RoleCode => typeof code === 'string' && (ROLE_CODES as readonly string[]).includes(code);

/** Only administrative principals write the directory; the refusal is audited by the caller. */
export const assertMayWriteDirectory = (principal: Principal, type: string): void => {
  if (isDirectoryType(type) && principal.kind !== 'system') {
    throw new FhirError(
      403,
      'forbidden',
      `${type} is part of the journal's directory (who a card login maps to). It is kept by the journal's administrators (npm run directory), never through a clinician's login.`,
    );
  }
};

/** The role codes of our code system in a PractitionerRole, as written. */
const ourRoleCodings = (resource: Json): unknown[] => {
  const codes = Array.isArray(resource.code) ? (resource.code as unknown[]) : [];
  return codes.flatMap((concept) => (isObject(concept) && Array.isArray(concept.coding) ? (concept.coding as unknown[]) : [])).filter(
    (coding) => isObject(coding) && coding.system === PRACTITIONER_ROLE_SYSTEM,
  );
};

/** The one known role of a PractitionerRole, or why it has none (used by login, which refuses doubt). */
export const roleOf = (resource: Json): { role: RoleCode } | { problem: string } => {
  const codings = ourRoleCodings(resource);
  if (codings.length !== 1) {
    return { problem: `needs exactly one code from ${PRACTITIONER_ROLE_SYSTEM} (it has ${codings.length})` };
  }
  const code = isObject(codings[0]) ? codings[0].code : undefined;
  return isRoleCode(code) ? { role: code } : { problem: `has the unknown role code ${JSON.stringify(code)}; known: ${ROLE_CODES.join(', ')}` };
};

const referenceTo = (value: unknown, type: string): string | undefined => {
  const reference = isObject(value) ? value.reference : undefined;
  const match = typeof reference === 'string' ? new RegExp(`^${type}/([A-Za-z0-9\\-.]{1,64})$`).exec(reference) : null;
  return match?.[1];
};

/** Practitioner/<id> and Organization/<id> of a PractitionerRole, when written as such. */
export const roleTargets = (resource: Json): { practitionerId: string | undefined; organizationId: string | undefined } => ({
  practitionerId: referenceTo(resource.practitioner, 'Practitioner'),
  organizationId: referenceTo(resource.organization, 'Organization'),
});

/**
 * Checks a directory resource before it is stored and returns the `Type/id` keys it names that
 * must exist (in the journal, or in the same import). A Practitioner carries at most one HPR
 * number (the unique index makes it belong to one Practitioner); a PractitionerRole names a
 * Practitioner, an Organization and one known role.
 */
export const checkDirectoryResource = (type: string, resource: Json): string[] => {
  if (type === 'Practitioner') {
    const identifiers = Array.isArray(resource.identifier) ? (resource.identifier as unknown[]) : [];
    const hpr = identifiers.filter((identifier) => isObject(identifier) && identifier.system === HPR_SYSTEM);
    if (hpr.length > 1) {
      throw new FhirError(400, 'business-rule', 'A Practitioner carries at most one HPR number.', ['Practitioner.identifier']);
    }
    return [];
  }
  if (type !== 'PractitionerRole') {
    return [];
  }
  const { practitionerId, organizationId } = roleTargets(resource);
  if (!practitionerId) {
    throw new FhirError(400, 'required', 'A PractitionerRole names its Practitioner as "Practitioner/<id>".', ['PractitionerRole.practitioner']);
  }
  if (!organizationId) {
    throw new FhirError(400, 'required', 'A PractitionerRole names its Organization as "Organization/<id>".', ['PractitionerRole.organization']);
  }
  const role = roleOf(resource);
  if ('problem' in role) {
    throw new FhirError(400, 'value', `The PractitionerRole ${role.problem}.`, ['PractitionerRole.code']);
  }
  return [`Practitioner/${practitionerId}`, `Organization/${organizationId}`];
};

/** The refusal when a role names what the journal does not hold. */
export const danglingRole = (missing: readonly string[]): FhirError =>
  new FhirError(422, 'business-rule', `The PractitionerRole names ${missing.join(', ')}, which the journal does not hold.`, ['PractitionerRole']);
