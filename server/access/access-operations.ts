import type { Database } from '../db/database';
import { DNR_SYSTEM, FNR_SYSTEM } from '../fhir/identifiers';
import type { Json } from '../fhir/json-path';
import { FhirError, notFound } from '../fhir/operation-outcome';
import { assertValidId } from '../fhir/validate-resource';
import type { AccessPolicy, Interaction } from '../pipeline/access-policy';
import type { AuditRecord, AuditWriter } from '../pipeline/audit-writer';
import { markAudited } from '../pipeline/journal';
import type { Principal } from '../pipeline/principal';
import { entityLabels, readAuditLog, readAuditRecord, toAuditEvent, type AuditQuery } from '../audit/audit-events';
import { DEFAULT_GRANT_HOURS, grantStore, parseGrantRequest, parseReviewRequest, type Grant } from './break-the-glass';

export interface AccessOperationsDeps {
  db: Database;
  policy: AccessPolicy;
  audit: AuditWriter;
  now?: () => Date;
  /** How long a self-authorisation lasts (4 h). */
  grantHours?: number;
}

export interface AccessSession {
  /** `POST Patient/{id}/$break-the-glass`: a time-limited grant with the stated reason. */
  breakTheGlass(patientId: string, body: unknown): Promise<Grant>;
  /** `GET $my-grants`: the caller's unexpired self-authorisations. */
  activeGrants(): Promise<Grant[]>;
  /** `GET Patient/{id}/$access-log`: who saw the record, as AuditEvents with document kinds and titles. */
  accessLog(patientId: string, range: { from?: Date; to?: Date }): Promise<Json[]>;
  /** `GET AuditEvent?…` (privacy officer). */
  auditEvents(query: AuditQuery): Promise<Json[]>;
  auditEvent(id: string): Promise<Json>;
  /** `GET $break-the-glass-review`, `POST $break-the-glass-review` (privacy officer). */
  reviewList(includeReviewed: boolean): Promise<Grant[]>;
  review(body: unknown): Promise<Grant>;
}

const statusOf = (error: unknown): number => (error instanceof FhirError ? error.status : 500);

/**
 * The access-control operations beside the FHIR interactions: self-authorisation, the access
 * log, AuditEvents and the privacy officer's review. Each is authorised by the policy and
 * audited like any interaction, refusals included; a grant and its audit record commit together.
 */
export const createAccessOperations = ({ db, policy, audit, now = () => new Date(), grantHours = DEFAULT_GRANT_HOURS }: AccessOperationsDeps) => {
  const grants = grantStore(db);
  return {
    as(principal: Principal): AccessSession {
      const audited = async <T>(interaction: Interaction, about: Omit<AuditRecord, 'principal' | 'interaction' | 'outcome'>, run: () => Promise<T>, success = 200): Promise<T> => {
        try {
          policy.authorize(principal, interaction, undefined);
          const result = await run();
          if (success !== 0) {
            await audit.record([{ principal, interaction, outcome: success, ...about }]);
          }
          return result;
        } catch (error) {
          await audit.record([{ principal, interaction, outcome: statusOf(error), ...about }]);
          markAudited(error);
          throw error;
        }
      };

      const patientExists = async (patientId: string): Promise<void> => {
        assertValidId(patientId);
        const { rows } = await db.query("SELECT 1 FROM resource WHERE resource_type = 'Patient' AND id = $1", [patientId]);
        if (rows.length === 0) {
          throw notFound(`Patient/${patientId} was not found.`);
        }
      };

      /** Security related: a citizen reads only the log of the record that carries their national id. */
      const assertOwnRecord = async (patientId: string): Promise<void> => {
        if (principal.kind !== 'citizen') {
          return;
        }
        const { rows } = await db.query(
          "SELECT 1 FROM search_token WHERE resource_type = 'Patient' AND id = $1 AND param = 'identifier' AND system = ANY($2::text[]) AND code = $3",
          [patientId, [FNR_SYSTEM, DNR_SYSTEM], principal.nationalId ?? ''],
        );
        if (rows.length === 0) {
          throw new FhirError(403, 'forbidden', 'You can read the access log of your own record only.');
        }
      };

      return {
        breakTheGlass: async (patientId, body) => {
          const about = { resourceType: 'Patient', resourceId: patientId, patientId };
          try {
            policy.authorize(principal, 'break-the-glass', 'Patient');
            await patientExists(patientId);
            const request = parseGrantRequest(body);
            const at = now();
            return await db.transaction(async (tx) => {
              const grant = await grants.insert(tx, {
                practitioner: principal.id,
                hpr: principal.hpr ?? null,
                organization: principal.organizationId ? `Organization/${principal.organizationId}` : null,
                role: principal.role ?? null,
                patientId,
                reasonCode: request.reasonCode,
                reasonText: request.reasonText,
                grantedAt: at,
                expiresAt: new Date(at.getTime() + grantHours * 3600 * 1000),
              });
              await audit.record(
                [{ principal, interaction: 'break-the-glass', outcome: 201, ...about, basis: { kind: 'self-authorisation', grantId: grant.id, reason: `${grant.reasonCode}: ${grant.reasonText}` } }],
                tx,
              );
              return grant;
            });
          } catch (error) {
            // Nothing was stored: the refusal is the only trace, as for any refused interaction.
            await audit.record([{ principal, interaction: 'break-the-glass', outcome: statusOf(error), ...about }]);
            markAudited(error);
            throw error;
          }
        },
        activeGrants: () => audited('break-the-glass', {}, () => grants.active(principal.id, now())),
        accessLog: async (patientId, range) => {
          const about = { resourceType: 'Patient', resourceId: patientId, patientId };
          return audited('access-log', about, async () => {
            await patientExists(patientId);
            await assertOwnRecord(patientId);
            const rows = (await readAuditLog(db, { patient: patientId, ...range, count: 1000 })).filter((row) => row.interaction !== 'access-log');
            const labels = await entityLabels(db, rows);
            return rows.map((row) => toAuditEvent(row, labels));
          });
        },
        auditEvents: (query) =>
          audited('access-log', { resourceType: 'AuditEvent', ...(query.patient ? { patientId: query.patient } : {}) }, async () => {
            if (principal.kind === 'citizen') {
              throw new FhirError(403, 'forbidden', 'Read your own access log with Patient/{id}/$access-log.');
            }
            return (await readAuditLog(db, query)).map((row) => toAuditEvent(row));
          }),
        auditEvent: (id) =>
          audited('access-log', { resourceType: 'AuditEvent', resourceId: id }, async () => {
            if (principal.kind === 'citizen') {
              throw new FhirError(403, 'forbidden', 'Read your own access log with Patient/{id}/$access-log.');
            }
            const seq = /^\d{1,15}$/.test(id) ? Number(id) : Number.NaN;
            const row = Number.isSafeInteger(seq) ? await readAuditRecord(db, seq) : undefined;
            if (!row) {
              throw notFound(`AuditEvent/${id} was not found.`);
            }
            return toAuditEvent(row);
          }),
        reviewList: (includeReviewed) => audited('review', {}, () => grants.forReview(includeReviewed, 500)),
        review: async (body) => {
          let grantId: string | undefined;
          try {
            policy.authorize(principal, 'review', undefined);
            const request = parseReviewRequest(body);
            grantId = request.grantId;
            return await db.transaction(async (tx) => {
              const grant = await grants.review(tx, request.grantId, principal.id, request.comment, now());
              await audit.record([{ principal, interaction: 'review', outcome: 200, patientId: grant.patientId, reason: `grant:${grant.id}` }], tx);
              return grant;
            });
          } catch (error) {
            await audit.record([{ principal, interaction: 'review', outcome: statusOf(error), ...(grantId ? { reason: `grant:${grantId}` } : {}) }]);
            markAudited(error);
            throw error;
          }
        },
      };
    },
  };
};

export type AccessOperations = ReturnType<typeof createAccessOperations>;
