import type { Queryable } from '../db/database';
import { parseFhirDateRange } from '../fhir/fhir-date';
import type { Json } from '../fhir/json-path';
import { badRequest } from '../fhir/operation-outcome';

/** One audit_log row as read back. */
export interface AuditRow {
  seq: string | number;
  recorded: Date | string;
  principal: string;
  interaction: string;
  resource_type: string | null;
  resource_id: string | null;
  patient_id: string | null;
  outcome: number;
  reason: string | null;
  hpr: string | null;
  organization: string | null;
  role: string | null;
  basis: string | null;
  entities: string[] | null;
}

export interface AuditQuery {
  patient?: string;
  agent?: string;
  from?: Date;
  to?: Date;
  count: number;
}

const ACTION: Record<string, string> = { create: 'C', update: 'U', read: 'R', vread: 'R', search: 'E', history: 'R', everything: 'R' };
const outcomeCode = (status: number): string => (status < 400 ? '0' : status < 500 ? '4' : '8');

/** What the log shows of a document: its kind and title, never its content. */
export interface EntityLabel {
  kind?: string;
  title?: string;
}

/**
 * An audit record as a FHIR AuditEvent (read-only: they are written by the journal alone).
 * `labels` give documents their kind and title, for the patient's access log.
 */
export const toAuditEvent = (row: AuditRow, labels: ReadonlyMap<string, EntityLabel> = new Map()): Json => ({
  resourceType: 'AuditEvent',
  id: String(row.seq),
  type: { system: 'http://terminology.hl7.org/CodeSystem/audit-event-type', code: 'rest', display: 'RESTful Operation' },
  subtype: [{ system: 'http://hl7.org/fhir/restful-interaction', code: row.interaction }],
  ...(ACTION[row.interaction] ? { action: ACTION[row.interaction] } : {}),
  recorded: new Date(row.recorded).toISOString(),
  outcome: outcomeCode(row.outcome),
  outcomeDesc: String(row.outcome),
  ...(row.basis ? { purposeOfEvent: [{ coding: [{ system: 'http://akson.example/fhir/CodeSystem/access-basis', code: row.basis.split(':')[0] }], text: row.reason ?? row.basis }] } : {}),
  agent: [
    {
      who: {
        ...(row.principal.startsWith('Practitioner/') ? { reference: row.principal } : { display: row.principal }),
        ...(row.hpr ? { identifier: { system: 'urn:oid:2.16.578.1.12.4.1.4.4', value: row.hpr } } : {}),
      },
      ...(row.role ? { role: [{ coding: [{ system: 'http://akson.example/fhir/CodeSystem/practitioner-role', code: row.role }] }] } : {}),
      requestor: true,
    },
    ...(row.organization ? [{ who: { reference: row.organization }, requestor: false }] : []),
  ],
  source: { observer: { display: 'Akson journal' } },
  entity: [
    ...(row.patient_id ? [{ what: { reference: `Patient/${row.patient_id}` }, type: { code: 'Patient' } }] : []),
    ...(row.entities ?? [])
      .filter((key) => key !== `Patient/${row.patient_id ?? ''}`)
      .map((key) => {
        const label = labels.get(key);
        return { what: { reference: key }, type: { code: key.split('/')[0] }, ...(label?.title ? { name: label.title } : {}), ...(label?.kind ? { description: label.kind } : {}) };
      }),
  ],
});

/** `date` parameters (ge/gt/le/lt/eq prefixes) as a [from, to) range. */
export const dateRangeOf = (values: readonly string[]): { from?: Date; to?: Date } => {
  const range: { from?: Date; to?: Date } = {};
  for (const raw of values) {
    const match = /^(ge|gt|le|lt|eq)?(.+)$/.exec(raw);
    const parsed = match?.[2] ? parseFhirDateRange(match[2]) : undefined;
    if (!match || !parsed) {
      throw badRequest(`date=${raw} is not a FHIR date with an optional prefix ge, gt, le, lt, eq.`);
    }
    const prefix = match[1] ?? 'eq';
    if (prefix === 'ge' || prefix === 'gt' || prefix === 'eq') {
      range.from = prefix === 'gt' ? parsed.hi : parsed.lo;
    }
    if (prefix === 'le' || prefix === 'lt' || prefix === 'eq') {
      range.to = prefix === 'lt' ? parsed.lo : parsed.hi;
    }
  }
  return range;
};

/** Audit records, newest first, by patient, agent and time; login records only without a patient filter. */
export const readAuditLog = async (db: Queryable, query: AuditQuery): Promise<AuditRow[]> => {
  const conditions: string[] = [];
  const params: unknown[] = [];
  const add = (value: unknown): string => {
    params.push(value);
    return `$${params.length}`;
  };
  if (query.patient !== undefined) {
    conditions.push(`patient_id = ${add(query.patient)}`);
  }
  if (query.agent !== undefined) {
    conditions.push(`principal = ${add(query.agent)}`);
  }
  if (query.from) {
    conditions.push(`recorded >= ${add(query.from.toISOString())}::timestamptz`);
  }
  if (query.to) {
    conditions.push(`recorded < ${add(query.to.toISOString())}::timestamptz`);
  }
  const { rows } = await db.query<AuditRow>(
    `SELECT seq, recorded, principal, interaction, resource_type, resource_id, patient_id, outcome, reason, hpr, organization, role, basis, entities
     FROM audit_log ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ${add(query.count)}`,
    params,
  );
  return rows;
};

export const readAuditRecord = async (db: Queryable, seq: number): Promise<AuditRow | undefined> => {
  const { rows } = await db.query<AuditRow>(
    'SELECT seq, recorded, principal, interaction, resource_type, resource_id, patient_id, outcome, reason, hpr, organization, role, basis, entities FROM audit_log WHERE seq = $1',
    [seq],
  );
  return rows[0];
};

const text = (value: unknown): string | undefined => {
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'object' && value !== null) {
    const concept = value as { text?: unknown; coding?: { display?: unknown; code?: unknown }[] };
    if (typeof concept.text === 'string') {
      return concept.text;
    }
    const coding = Array.isArray(concept.coding) ? concept.coding[0] : undefined;
    return typeof coding?.display === 'string' ? coding.display : typeof coding?.code === 'string' ? coding.code : undefined;
  }
  return undefined;
};

/** Kind and title of each document named in these rows (Composition, DocumentReference, DiagnosticReport); never content. */
export const entityLabels = async (db: Queryable, rows: readonly AuditRow[]): Promise<Map<string, EntityLabel>> => {
  const keys = [...new Set(rows.flatMap((row) => row.entities ?? []))].filter((key) => /^(Composition|DocumentReference|DiagnosticReport)\//.test(key));
  const labels = new Map<string, EntityLabel>();
  if (keys.length === 0) {
    return labels;
  }
  const { rows: found } = await db.query<{ resource_type: string; id: string; type: unknown; title: unknown; description: unknown; code: unknown }>(
    `SELECT r.resource_type, r.id, r.content -> 'type' AS type, r.content -> 'title' AS title, r.content -> 'description' AS description, r.content -> 'code' AS code
     FROM resource r JOIN unnest($1::text[], $2::text[]) AS k(t, i) ON r.resource_type = k.t AND r.id = k.i`,
    [keys.map((key) => key.split('/')[0]), keys.map((key) => key.split('/')[1])],
  );
  for (const row of found) {
    const kind = text(Array.isArray(row.type) ? row.type[0] : row.type) ?? text(row.code) ?? row.resource_type;
    const title = text(row.title) ?? text(row.description);
    labels.set(`${row.resource_type}/${row.id}`, { kind, ...(title ? { title } : {}) });
  }
  return labels;
};
