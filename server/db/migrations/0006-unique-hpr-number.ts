import type { Migration } from '../migration';

/**
 * Security related: one Practitioner per HPR number, like one patient per national id. Card login
 * maps a card's HPR number to the Practitioner that carries it; two carrying it would let the
 * journal (and its audit trail) name the wrong person. Enforced on the current version's index
 * rows, so no ordering of writes can make a second one. A database that already holds duplicates
 * is refused with their numbers instead of failing on the index with a bare constraint error.
 */
export const migration0006: Migration = {
  version: 6,
  name: 'unique-hpr-number',
  async up(tx) {
    const { rows } = await tx.query<{ code: string; ids: string }>(
      `SELECT code, string_agg(id, ', ' ORDER BY id) AS ids FROM search_token
       WHERE resource_type = 'Practitioner' AND param = 'identifier' AND system = 'urn:oid:2.16.578.1.12.4.1.4.4'
       GROUP BY code HAVING count(*) > 1 ORDER BY code LIMIT 20`,
    );
    if (rows.length > 0) {
      throw new Error(
        `The directory has HPR numbers carried by more than one Practitioner (${rows.map((row) => `HPR ${row.code}: Practitioner ${row.ids}`).join('; ')}). ` +
          'Give each number to one Practitioner before upgrading.',
      );
    }
    await tx.exec(`
      CREATE UNIQUE INDEX practitioner_hpr_unique ON search_token (system, code)
      WHERE resource_type = 'Practitioner' AND param = 'identifier' AND system = 'urn:oid:2.16.578.1.12.4.1.4.4';
    `);
  },
};
