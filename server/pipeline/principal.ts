import type { RoleCode } from '../directory/directory-rules';

/**
 * Who is calling. A practitioner comes from card login (the token carries the HPR number and the
 * one PractitionerRole login chose: organisation and role); a citizen is a person reading their
 * own record's access log, bound to their national id (ID-porten would fill it; tests use a test
 * token); `system:` principals are the journal's own tools (seed, directory, audit); without
 * login every caller is `anonymous`.
 */
export interface Principal {
  kind: 'anonymous' | 'practitioner' | 'system' | 'citizen';
  /** Stable id for the audit log: "anonymous", "Practitioner/<id>", "system:<name>", "citizen:<national id>". */
  id: string;
  /** Practitioner: the HPR number the card carries. */
  hpr?: string;
  /** Practitioner: the bare id of the Organization of the role login chose. */
  organizationId?: string;
  /** Practitioner: what the role does there; none means no access to any patient's record. */
  role?: RoleCode;
  /** Citizen: the national id (fødselsnummer or D-nummer) the person logged in with. */
  nationalId?: string;
}

export const anonymous: Principal = { kind: 'anonymous', id: 'anonymous' };
export const systemPrincipal = (name: string): Principal => ({ kind: 'system', id: `system:${name}` });
export const citizenPrincipal = (nationalId: string): Principal => ({ kind: 'citizen', id: `citizen:${nationalId}`, nationalId });

/** The practitioner's bare id ("Practitioner/abc" -> "abc"), when the principal is one. */
export const practitionerIdOf = (principal: Principal): string | undefined =>
  principal.kind === 'practitioner' && principal.id.startsWith('Practitioner/') ? principal.id.slice('Practitioner/'.length) : undefined;
