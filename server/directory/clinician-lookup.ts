import type { Clinician } from '../auth/card-login';
import { HPR_SYSTEM } from '../fhir/identifiers';
import type { Json } from '../fhir/json-path';
import type { JournalSession } from '../pipeline/journal';
import { DirectoryMappingError } from './directory-mapping-error';
import { roleOf, roleTargets, type RoleCode } from './directory-rules';

const isActiveAt = (resource: Json, at: Date): boolean => {
  if (resource.active === false) {
    return false;
  }
  const period = typeof resource.period === 'object' && resource.period !== null ? (resource.period as { start?: unknown; end?: unknown }) : {};
  const start = typeof period.start === 'string' ? Date.parse(period.start) : Number.NaN;
  const end = typeof period.end === 'string' ? Date.parse(period.end) : Number.NaN;
  return !(start > at.getTime()) && !(end <= at.getTime());
};

interface UsableRole {
  roleId: string;
  organizationId: string;
  role: RoleCode;
}

/**
 * Security related: HPR number -> the one Practitioner that carries it and the one role that
 * applies. Login trusts this mapping for who the clinician is, where they work and what they do,
 * so it never picks among candidates: two Practitioners with the number (the unique index makes
 * that impossible; checked anyway), a role naming an Organization the journal does not hold or
 * an unknown role code, and two current roles without the login saying which organisation it is
 * for, are refused with the reason. A Practitioner with no current role logs in with none (the
 * access rules then give them nothing of a patient's record).
 */
export const createClinicianLookup =
  (directory: JournalSession, now: () => Date = () => new Date()) =>
  async (hpr: string, organizationId?: string): Promise<Clinician | undefined> => {
    const practitioners = await directory.search('Practitioner', [
      ['identifier', `${HPR_SYSTEM}|${hpr}`],
      ['_count', '2'],
    ]);
    if (practitioners.matches.length > 1) {
      throw new DirectoryMappingError('ambiguous-practitioner', 'The directory has more than one Practitioner with this HPR number; login is refused until an administrator fixes it.');
    }
    const practitioner = practitioners.matches[0];
    if (!practitioner) {
      return undefined;
    }
    if (practitioner.resource.active === false) {
      throw new DirectoryMappingError('inactive-practitioner', 'The directory marks this clinician as no longer active in this journal.');
    }
    const at = now();
    const roles = await directory.search('PractitionerRole', [
      ['practitioner', `Practitioner/${practitioner.id}`],
      ['_count', '100'],
    ]);
    const usable: UsableRole[] = [];
    for (const { id, resource } of roles.matches.filter((match) => isActiveAt(match.resource, at))) {
      const role = roleOf(resource);
      const target = roleTargets(resource).organizationId;
      if ('problem' in role || !target) {
        throw new DirectoryMappingError('dangling-role', `PractitionerRole/${id} ${'problem' in role ? role.problem : 'names no Organization'}; login is refused until an administrator fixes it.`);
      }
      const organisation = await directory.search('Organization', [['_id', target]]);
      const found = organisation.matches[0];
      if (!found || found.resource.active === false) {
        throw new DirectoryMappingError('dangling-role', `PractitionerRole/${id} names Organization/${target}, which the journal does not hold as an active organisation.`);
      }
      usable.push({ roleId: id, organizationId: target, role: role.role });
    }
    const chosen = organizationId === undefined ? usable : usable.filter((role) => role.organizationId === organizationId);
    if (chosen.length > 1 || (organizationId !== undefined && chosen.length === 0)) {
      throw new DirectoryMappingError(
        'ambiguous-role',
        organizationId === undefined
          ? `This clinician has ${chosen.length} current roles (${usable.map((role) => `Organization/${role.organizationId}`).join(', ')}); the login must say which organisation it is for.`
          : `This clinician has no current role at Organization/${organizationId}.`,
      );
    }
    const [only] = chosen;
    return { practitionerId: practitioner.id, organizationId: only ? `Organization/${only.organizationId}` : undefined, role: only?.role };
  };
