import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database';
import { migrate } from '../db/migration';
import { migrations } from '../db/migrations';
import { openPolicy } from '../pipeline/access-policy';
import { databaseAuditWriter } from '../pipeline/audit-writer';
import { createJournal, type JournalSession } from '../pipeline/journal';
import { systemPrincipal } from '../pipeline/principal';
import { ResourceStore } from '../store/resource-store';
import { openTestDatabase } from '../test-support/test-databases';
import { generatePopulation } from './population';
import { seedJournal } from './seed-journal';

const options = { patients: 25, seed: 7, now: new Date('2026-11-28T12:00:00Z') };

describe('seeding the journal', () => {
  let db: Database;
  let session: JournalSession;
  beforeAll(async () => {
    db = await openTestDatabase('pglite');
    await migrate(db, migrations);
    session = createJournal({ store: new ResourceStore(db), policy: openPolicy, audit: databaseAuditWriter(db) }).as(systemPrincipal('seed'));
  });
  afterAll(async () => {
    await db.close();
  });

  it('stores every generated resource, searchable, and audits the import', async () => {
    const expected = [...generatePopulation(options)].flat();
    const report = await seedJournal(session, options);
    expect(report).toMatchObject({ patients: 25, resources: expected.length });
    const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM resource');
    expect(rows[0]?.n).toBe(expected.length);
    const first = expected.find((r) => r.resourceType === 'Patient') as { id: string; name: { family: string }[] };
    const family = first.name[0]?.family ?? '';
    const found = await session.search('Patient', [['family', family.slice(0, 4)]]);
    expect(found.matches.map((m) => m.id)).toContain(first.id);
    const audit = await db.query<{ n: number }>("SELECT count(*)::int AS n FROM audit_log WHERE principal = 'system:seed' AND interaction = 'import'");
    expect(audit.rows[0]?.n).toBeGreaterThan(0);
  });

  it('refuses to seed the same population twice and stores nothing more', async () => {
    const before = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM resource');
    await expect(seedJournal(session, options)).rejects.toThrow(/already in the journal/);
    const after = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM resource');
    expect(after.rows[0]?.n).toBe(before.rows[0]?.n);
  });
});
