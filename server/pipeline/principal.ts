/**
 * Who is calling. The smart-card login issue fills this from a verified card and a JWT
 * (practitioner, HPR number, organisation, role); until then the only principal is `anonymous`,
 * and the server says so at start-up.
 */
export interface Principal {
  kind: 'anonymous' | 'practitioner' | 'system';
  /** Stable id for the audit log: "anonymous", "Practitioner/<id>", "system:<name>". */
  id: string;
}

export const anonymous: Principal = { kind: 'anonymous', id: 'anonymous' };
export const systemPrincipal = (name: string): Principal => ({ kind: 'system', id: `system:${name}` });
