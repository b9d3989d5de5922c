import { closeSync, mkdtempSync, openSync, readdirSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FaultProxy } from '../test-support/fault-proxy';
import { removeDir, startJournalBehindProxy, startSyncJournal, startWorkstation, type Workstation } from './sync-harness';

type Journal = Awaited<ReturnType<typeof startSyncJournal>>;

/** Every file under a folder, recursively. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));

const note = (patientId: string, n: number) => ({
  resourceType: 'Composition',
  status: 'final',
  type: { text: 'Notat' },
  subject: { reference: `Patient/${patientId}` },
  date: '2026-11-28',
  title: `Notat ${n} ${'x'.repeat(400)}`,
  author: [{ display: 'Demo Lege' }],
});

/** The workstation's life around the cache: lock and login again, another journal, a damaged file. */
describe('the offline workspace across locks, journals and a damaged cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'akson-lifecycle-'));
  let journal: Journal;
  let proxy: FaultProxy;
  let patientId = '';
  const opened: Workstation[] = [];
  const compositionsOnServer = async (): Promise<string[]> =>
    (
      await journal.database.query<{ client: string }>(
        `SELECT content->'identifier'->>'value' AS client FROM resource WHERE resource_type = 'Composition'`,
      )
    ).rows.map((row) => row.client);

  beforeAll(async () => {
    ({ journal, proxy } = await startJournalBehindProxy(dir));
    const patient = await journal.store.db.transaction((tx) =>
      journal.store.create(tx, 'Patient', { resourceType: 'Patient', name: [{ family: 'Livsløp', given: ['Åsmund'] }], birthDate: '1960-02-02' }),
    );
    patientId = patient.id;
  }, 60_000);
  afterAll(async () => {
    for (const ws of opened) {
      await ws.close();
      removeDir(ws.dataDir);
    }
    await proxy.close();
    await journal.close();
    removeDir(dir);
  });

  it('logs in with the card alone while the journal is unreachable, works from the cache, and completes the journal login when it is back', async () => {
    const ws = await startWorkstation(proxy.url, journal.pki);
    opened.push(ws);
    await ws.call('chart.open', { patientId });
    proxy.setOnline(false);
    try {
      const saved = await ws.call('journal.save', { resource: note(patientId, 1) });
      // The card leaves (lock) and comes back while the network is still down.
      expect((await ws.call('session.lock', {})).state).toBe('locked');
      const login = await ws.call('session.login', { pin: journal.pki.demoCard.pin });
      expect(login).toMatchObject({ ok: true, status: { state: 'active', offline: true, clinician: { hpr: journal.pki.demoCard.hpr } } });
      expect(ws.core.session.token()).toBeUndefined();
      // The clinician's own cache opens with the card: the chart and the waiting change are there.
      await expect.poll(async () => (await ws.call('chart.open', { patientId }).catch(() => undefined))?.fromCache, { timeout: 5_000 }).toBe(true);
      expect(await ws.call('sync.status', {})).toMatchObject({ pending: 1 });
      // A wrong PIN never gets in offline either.
      await ws.call('session.lock', {});
      expect(await ws.call('session.login', { pin: '000000' })).toMatchObject({ ok: false, code: 'PIN_INCORRECT' });
      expect((await ws.call('session.login', { pin: journal.pki.demoCard.pin })).ok).toBe(true);

      proxy.setOnline(true);
      // The journal login completes by itself, and the waiting change goes, once.
      await expect.poll(async () => (await ws.call('session.status', {})).offline, { timeout: 10_000 }).toBeUndefined();
      expect(ws.core.session.token()).toMatch(/^ey/);
      await expect
        .poll(async () => (await ws.call('sync.now', {})).pending, { timeout: 10_000 })
        .toBe(0);
      expect((await compositionsOnServer()).filter((client) => client === saved.clientId)).toHaveLength(1);
    } finally {
      proxy.setOnline(true);
    }
  });

  it("keeps one cache per journal: pointed at another journal, the same PC folder neither shows nor sends the first journal's data", async () => {
    const ws = await startWorkstation(proxy.url, journal.pki);
    opened.push(ws);
    await ws.call('chart.open', { patientId });
    proxy.setOnline(false);
    await ws.call('journal.save', { resource: note(patientId, 2) });
    await ws.close();
    proxy.setOnline(true);

    const other = await startSyncJournal(join(dir, 'other'));
    try {
      const elsewhere = await startWorkstation(other.url, other.pki, ws.dataDir);
      try {
        expect(await elsewhere.call('sync.now', {})).toMatchObject({ pending: 0 });
        expect(await elsewhere.call('patients.search', { query: 'livsløp' })).toEqual({ hits: [], journal: 'not-asked' });
      } finally {
        await elsewhere.close();
      }
    } finally {
      await other.close();
    }
    // Back on the first journal, its waiting change is there and goes.
    const back = await startWorkstation(proxy.url, journal.pki, ws.dataDir);
    opened.push(back);
    expect(await back.call('sync.now', {})).toMatchObject({ pending: 0, failed: 0 });
  });

  it('rebuilds a damaged cache, says so, and sends the unsent changes it could read exactly once', async () => {
    const ws = await startWorkstation(proxy.url, journal.pki);
    await ws.call('chart.open', { patientId });
    proxy.setOnline(false);
    const saved = [];
    for (let n = 0; n < 120; n += 1) {
      saved.push(await ws.call('journal.save', { resource: note(patientId, 100 + n) }));
    }
    await ws.close();
    proxy.setOnline(true);
    const [file] = filesUnder(ws.dataDir).filter((path) => path.endsWith('cache.db'));
    if (!file) {
      throw new Error('no cache.db');
    }
    const fd = openSync(file, 'r+');
    try {
      writeSync(fd, Buffer.alloc(8192, 0xa5), 0, 8192, Math.floor(statSync(file).size / 2 / 4096) * 4096);
    } finally {
      closeSync(fd);
    }

    const again = await startWorkstation(proxy.url, journal.pki, ws.dataDir);
    opened.push(again);
    const status = await again.call('sync.status', {});
    expect(status.lastError).toMatch(/damaged and rebuilt; \d+ unsent change\(s\) were kept and re-queued/);
    const requeued = Number(/; (\d+) unsent/.exec(status.lastError ?? '')?.[1]);
    expect(requeued).toBeGreaterThan(0);
    expect(filesUnder(again.dataDir).some((path) => path.endsWith('.bin.imported'))).toBe(true);
    let after = await again.call('sync.now', {});
    for (let i = 0; i < 50 && after.pending > 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      after = await again.call('sync.now', {});
    }
    expect(after).toMatchObject({ pending: 0, failed: 0, conflicts: 0 });
    const onServer = await compositionsOnServer();
    const ours = new Set(saved.map((s) => s.clientId));
    const sent = onServer.filter((client) => ours.has(client));
    expect(sent).toHaveLength(requeued);
    expect(new Set(sent).size).toBe(sent.length);
  });
});
