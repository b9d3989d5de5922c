import type { Migration } from '../migration';

/**
 * Login attempts go to the audit log (interaction `login`): why each one was let in or refused
 * (`reason`, a stable code) and who the certificate names (`subject`), both empty for every other
 * interaction. Nullable columns with no default: adding them rewrites nothing.
 */
export const migration0007: Migration = {
  version: 7,
  name: 'login-audit',
  async up(tx) {
    await tx.exec(`
      ALTER TABLE audit_log ADD COLUMN reason text, ADD COLUMN subject text;
      CREATE INDEX audit_log_login ON audit_log (recorded) WHERE interaction = 'login';
    `);
  },
};
