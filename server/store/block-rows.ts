import type { Queryable } from '../db/database';
import { blockRowsOf, isBlockConsent } from '../access/block-consent';
import type { Json } from '../fhir/json-path';

/**
 * Replaces the access_block rows of a Consent with those of its new current version, in the
 * write's transaction: the visibility condition reads blocks from this table (an index probe per
 * patient), never by parsing Consents at query time.
 */
export const writeBlockRows = async (tx: Queryable, resourceType: string, id: string, resource: Json, { replace = true }: { replace?: boolean } = {}): Promise<void> => {
  if (resourceType !== 'Consent') {
    return;
  }
  if (replace) {
    await tx.query('DELETE FROM access_block WHERE consent_id = $1', [id]);
  }
  if (!isBlockConsent(resourceType, resource)) {
    return;
  }
  const rows = blockRowsOf(resource);
  if (rows.length === 0) {
    return;
  }
  const column = <T>(pick: (row: (typeof rows)[number]) => T | undefined): (T | null)[] => rows.map((row) => pick(row) ?? null);
  await tx.query(
    `INSERT INTO access_block (consent_id, patient_id, kind, target_type, target_id, resource_type, code, lo, hi, actor_id)
     SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::timestamptz[], $10::text[])`,
    [
      id,
      column((row) => row.patientId),
      column((row) => row.kind),
      column((row) => row.targetType),
      column((row) => row.targetId),
      column((row) => row.resourceType),
      column((row) => row.code),
      column((row) => row.lo),
      column((row) => row.hi),
      column((row) => row.actorId),
    ],
  );
};
