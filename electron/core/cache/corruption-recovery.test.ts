import { existsSync, openSync, readdirSync, closeSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CacheError } from './cache-errors';
import { ase, note, openFor, openTestCards, tempRoot } from './cache-test-support';
import { migrations, type Migration } from './migrations';
import type { FhirResource } from './cached-resource';

/** Enough Patients that the resource pages fill the middle of the file, away from the outbox's page. */
const manyPatients = (): FhirResource[] =>
  Array.from({ length: 300 }, (_, i) => ({
    resourceType: 'Patient',
    id: `pat-${i}`,
    meta: { versionId: '1' },
    name: [{ family: `Fyll${i}`, given: ['Test'] }],
    text: { status: 'generated', div: `<div>${'x'.repeat(400)}</div>` },
  }));

const overwriteMiddle = (file: string) => {
  const size = statSync(file).size;
  const fd = openSync(file, 'r+');
  try {
    writeSync(fd, Buffer.alloc(8192, 0xa5), 0, 8192, Math.floor(size / 2 / 4096) * 4096);
  } finally {
    closeSync(fd);
  }
};

describe('a damaged cache', () => {
  let cards: ReturnType<typeof openTestCards>;
  beforeAll(() => {
    cards = openTestCards();
  });
  afterAll(() => cards.close());

  it('is set aside, its unsent outbox exported encrypted, and a fresh cache opened that can re-queue it', () => {
    const where = tempRoot();
    try {
      const first = openFor(cards.kari, where);
      first.cache.putResources([ase, ...manyPatients()]);
      const queued = [1, 2, 3].map((n) =>
        first.cache.writeLocalChange({ resource: note(`note-${n}`, `Notat ${n}`), request: { method: 'POST', n }, clientId: `client-${n}` }),
      );
      first.cache.close();
      const folder = first.cache.folder;
      overwriteMiddle(join(folder, 'cache.db'));

      const reopened = openFor(cards.kari, where, { now: () => new Date('2024-06-01T12:00:00Z') });
      const report = reopened.recovered;
      expect(report).toMatchObject({ exportedOutboxItems: 3, unreadableOutboxItems: 0 });
      expect(report?.movedTo).toBe(join(folder, 'corrupt-2024-06-01T12-00-00-000Z'));
      expect(readdirSync(report?.movedTo ?? '')).toContain('cache.db');
      expect(report?.exportFile).toBe(join(folder, 'recovered-outbox-2024-06-01T12-00-00-000Z.bin'));

      // The new cache is empty and works.
      expect(reopened.cache.getResource('Patient', 'pat-ase')).toBeUndefined();
      reopened.cache.putResources([ase]);
      expect(reopened.cache.searchPatients('ase')).toHaveLength(1);

      // The export decrypts to the same items, and re-queues once.
      const exportFile = report?.exportFile ?? '';
      expect(reopened.cache.readRecoveredOutbox(exportFile)).toEqual(queued);
      expect(reopened.cache.importRecoveredOutbox(exportFile)).toBe(3);
      expect(reopened.cache.importRecoveredOutbox(exportFile)).toBe(0);
      expect(reopened.cache.pendingOutbox(10).map((item) => [item.clientId, item.request])).toEqual(queued.map((item) => [item.clientId, item.request]));
      reopened.cache.close();

      // It stays healthy: a plain re-open is not another recovery.
      const third = openFor(cards.kari, where);
      expect(third.recovered).toBeNull();
      expect(third.cache.outboxStats().pending).toBe(3);
      third.cache.close();
    } finally {
      where.remove();
    }
  });

  it('that can not be re-created keeps its exported outbox and says so in the error, for the next open that works to re-queue', () => {
    const where = tempRoot();
    try {
      const first = openFor(cards.kari, where);
      first.cache.putResources([ase, ...manyPatients()]);
      for (const n of [1, 2]) {
        first.cache.writeLocalChange({ resource: note(`note-${n}`, `Notat ${n}`), request: { method: 'POST', n }, clientId: `client-${n}` });
      }
      first.cache.close();
      overwriteMiddle(join(first.cache.folder, 'cache.db'));

      // The fresh database can not be made (here: a schema step fails, as a full disk would).
      const failing: Migration = { version: migrations.length + 1, name: 'fails', up: () => { throw new Error('disk full'); } };
      let failure: unknown;
      try {
        openFor(cards.kari, where, { migrations: [...migrations, failing] }).cache.close();
      } catch (error) {
        failure = error;
      }
      expect(failure).toBeInstanceOf(CacheError);
      const salvaged = (failure as CacheError).salvaged;
      expect(failure).toMatchObject({ code: 'CORRUPT_UNRECOVERABLE', salvaged: { exportedOutboxItems: 2, unreadableOutboxItems: 0 } });
      expect(existsSync(salvaged?.exportFile ?? '')).toBe(true);

      const next = openFor(cards.kari, where);
      expect(next.cache.importRecoveredOutbox(salvaged?.exportFile ?? '')).toBe(2);
      next.cache.close();
    } finally {
      where.remove();
    }
  });

  it('whose first page is destroyed is still recovered (nothing to export) rather than refused', () => {
    const where = tempRoot();
    try {
      const first = openFor(cards.kari, where);
      first.cache.putResources([ase]);
      first.cache.close();
      const fd = openSync(join(first.cache.folder, 'cache.db'), 'r+');
      writeSync(fd, Buffer.alloc(4096, 0), 0, 4096, 0);
      closeSync(fd);

      const reopened = openFor(cards.kari, where);
      expect(reopened.recovered).toMatchObject({ exportedOutboxItems: 0, exportFile: null });
      expect(existsSync(join(reopened.recovered?.movedTo ?? '', 'cache.db'))).toBe(true);
      reopened.cache.close();
    } finally {
      where.remove();
    }
  });
});
