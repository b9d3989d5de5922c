import type { Migration } from '../migration';

/**
 * One patient per national id (fødselsnummer, D-nummer), whatever the request: two registrations
 * of the same person under different criteria spellings, or a plain create racing a conditional
 * one, can not make a duplicate record. Enforced on the current version's index rows.
 */
export const migration0005: Migration = {
  version: 5,
  name: 'unique-national-id',
  async up(tx) {
    await tx.exec(`
      CREATE UNIQUE INDEX patient_national_id_unique ON search_token (system, code)
      WHERE resource_type = 'Patient' AND param = 'identifier'
        AND system IN ('urn:oid:2.16.578.1.12.4.1.4.1', 'urn:oid:2.16.578.1.12.4.1.4.2');
    `);
  },
};
