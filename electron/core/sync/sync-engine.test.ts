import type { Bundle } from 'fhir/r4';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { OfflineCache } from '../cache';
import { openFor, openTestCards, tempRoot } from '../cache/cache-test-support';
import { memoryLog } from '../test-support/memory-log';
import type { JournalClient, Outcome } from './journal-client';
import { SyncEngine } from './sync-engine';

/** A journal that takes every create, and answers batches as told. */
const journal = (batch: () => Outcome) => {
  const calls: string[] = [];
  let next = 1;
  const created = (resource: { resourceType: string }): Outcome => {
    const stored = { ...resource, id: `srv-${next++}`, meta: { versionId: '1' } };
    return { kind: 'ok', status: 201, body: stored, resource: stored };
  };
  const fake = {
    calls,
    create: (resource: { resourceType: string }) => {
      calls.push('create');
      return Promise.resolve(created(resource));
    },
    transaction: (bundle: Bundle) => {
      calls.push(`batch of ${bundle.entry?.length ?? 0}`);
      return Promise.resolve(batch());
    },
  };
  return { fake, client: fake as unknown as JournalClient };
};

const note = (patient: string) => ({ resourceType: 'Composition', status: 'final', subject: { reference: `Patient/${patient}` }, title: 'Notat' });

describe('sync engine against a scripted journal', () => {
  let cards: ReturnType<typeof openTestCards>;
  let where: ReturnType<typeof tempRoot>;
  let cache: OfflineCache;
  beforeAll(() => {
    cards = openTestCards();
  });
  afterAll(() => cards.close());
  afterEach(() => {
    cache.close();
    where.remove();
  });
  const open = (): OfflineCache => {
    where = tempRoot();
    cache = openFor(cards.kari, where).cache;
    return cache;
  };

  it('sends each change on its own when the journal refuses a batch as a whole (e.g. 413), instead of refusing them all', async () => {
    const { fake, client } = journal(() => ({ kind: 'rejected', status: 413, message: 'too large' }));
    const engine = new SyncEngine({ cache: open(), client, log: memoryLog().log });
    engine.save(note('p1'));
    engine.save(note('p2'));
    engine.save(note('p3'));
    const counts = await engine.pushOnce();
    expect(counts).toMatchObject({ sent: 3, failed: 0 });
    expect(fake.calls).toEqual(['batch of 3', 'create', 'create', 'create']);
    expect(engine.status()).toMatchObject({ pending: 0, failed: 0 });
  });

  it('waits for a login after a 401, keeps the changes, and sends them once logged in again', async () => {
    let loggedIn = false;
    const { client } = journal(() =>
      loggedIn
        ? {
            kind: 'ok',
            status: 200,
            body: { resourceType: 'Bundle', type: 'batch-response', entry: [1, 2].map((n) => ({ resource: { resourceType: 'Composition', id: `srv-b${n}`, meta: { versionId: '1' } }, response: { status: '201 Created' } })) },
          }
        : { kind: 'unauthorized' },
    );
    const engine = new SyncEngine({ cache: open(), client, log: memoryLog().log });
    engine.save(note('p1'));
    engine.save(note('p2'));
    engine.start();
    await expect.poll(() => engine.status().needsLogin).toBe(true);
    expect(engine.status()).toMatchObject({ pending: 2, lastError: 'login needed' });
    loggedIn = true;
    engine.loggedIn();
    await expect.poll(() => engine.status().pending).toBe(0);
    expect(engine.status().needsLogin).toBe(false);
    await engine.stop();
  });
});
