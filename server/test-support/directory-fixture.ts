import type { Queryable } from '../db/database';
import { PRACTITIONER_ROLE_SYSTEM, type RoleCode } from '../directory/directory-rules';
import { HPR_SYSTEM } from '../fhir/identifiers';
import type { ResourceStore } from '../store/resource-store';

/**
 * A clinician in the journal's directory as the seed or `npm run directory` would write them:
 * a Practitioner with the HPR number and, unless `role` is null, one role at an Organization
 * (made when `organizationId` is not given). Written through the store, as a test's set-up.
 */
export const addClinician = async (
  store: ResourceStore,
  tx: Queryable,
  person: { hpr: string; name?: string; role?: RoleCode | null; organizationId?: string },
): Promise<{ practitionerId: string; organizationId: string | undefined; roleId: string | undefined }> => {
  const practitioner = await store.create(tx, 'Practitioner', {
    resourceType: 'Practitioner',
    identifier: [{ system: HPR_SYSTEM, value: person.hpr }],
    ...(person.name ? { name: [{ text: person.name }] } : {}),
  });
  if (person.role === null) {
    return { practitionerId: practitioner.id, organizationId: undefined, roleId: undefined };
  }
  const organizationId =
    person.organizationId ?? (await store.create(tx, 'Organization', { resourceType: 'Organization', active: true, name: 'Testbyen legekontor' })).id;
  const role = await store.create(tx, 'PractitionerRole', {
    resourceType: 'PractitionerRole',
    active: true,
    practitioner: { reference: `Practitioner/${practitioner.id}` },
    organization: { reference: `Organization/${organizationId}` },
    code: [{ coding: [{ system: PRACTITIONER_ROLE_SYSTEM, code: person.role ?? 'physician' }] }],
  });
  return { practitionerId: practitioner.id, organizationId, roleId: role.id };
};
