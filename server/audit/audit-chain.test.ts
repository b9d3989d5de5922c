import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../test-support/test-databases';
import { patientBody, startAccessWorld, type AccessWorld } from '../test-support/access-fixture';
import { verifyAuditChain } from './audit-verify';

describe.each(databaseKinds)('the audit log on %s', (kind) => {
  let world: AccessWorld;
  beforeAll(async () => {
    world = await startAccessWorld(kind);
    const gpRole = `PractitionerRole/${world.people.gp?.roleId ?? ''}`;
    const patient = await world.create('Patient', patientBody('Kjede', undefined, gpRole));
    for (let i = 0; i < 5; i += 1) {
      await world.as('gp', `/Patient/${patient}/$everything`);
      await world.as('otherGp', `/Patient/${patient}/$everything`);
    }
  });
  afterAll(async () => {
    await world.journal.close();
  });

  const seqs = async (): Promise<number[]> => (await world.database.query<{ seq: string }>('SELECT seq FROM audit_log ORDER BY seq')).rows.map((row) => Number(row.seq));
  /** As a database administrator would, behind the API: with the guard trigger switched off. */
  const behindTheApi = async (statement: string, params: unknown[]): Promise<void> => {
    await world.database.transaction(async (tx) => {
      await tx.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_immutable');
      await tx.query(statement, params);
      await tx.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_immutable');
    });
  };

  it('chains every record to the one before, and the chain holds', async () => {
    const check = await verifyAuditChain(world.database);
    expect(check).toMatchObject({ ok: true, records: (await seqs()).length });
  });

  it('refuses UPDATE, DELETE and TRUNCATE of audit records in the database itself', async () => {
    await expect(world.database.query('UPDATE audit_log SET outcome = 200 WHERE outcome = 403')).rejects.toThrow(/append-only/);
    await expect(world.database.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    await expect(world.database.query('TRUNCATE audit_log')).rejects.toThrow(/append-only/);
    expect((await verifyAuditChain(world.database)).ok).toBe(true);
  });

  it('names the first record changed behind the API, and the one after a removed record', async () => {
    const all = await seqs();
    const changed = all[4] ?? 0;
    const { rows } = await world.database.query<{ outcome: number }>('SELECT outcome FROM audit_log WHERE seq = $1', [changed]);
    await behindTheApi('UPDATE audit_log SET outcome = 299 WHERE seq = $1', [changed]);
    expect(await verifyAuditChain(world.database)).toMatchObject({ ok: false, seq: changed, problem: 'changed' });
    await behindTheApi('UPDATE audit_log SET outcome = $2 WHERE seq = $1', [changed, rows[0]?.outcome]);
    expect((await verifyAuditChain(world.database)).ok).toBe(true);
    const removed = all[7] ?? 0;
    await behindTheApi('DELETE FROM audit_log WHERE seq = $1', [removed]);
    expect(await verifyAuditChain(world.database)).toMatchObject({ ok: false, seq: all[8], problem: 'unlinked' });
  });
});
