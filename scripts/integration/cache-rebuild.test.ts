import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileKeyStore } from '../../electron/core/cache';
import { clinicianFolder } from '../../electron/core/cache/clinician-folder';
import { createCore, type Core } from '../../electron/core/core';
import { cacheRootFor } from '../../electron/core/sync/offline-workspace';
import { memoryLog } from '../../electron/core/test-support/memory-log';
import { openPgliteDatabase } from '../../server/db/pglite-database';
import { HPR_SYSTEM } from '../../server/fhir/identifiers';
import { createJournalServer } from '../../server/journal-server';
import { ResourceStore } from '../../server/store/resource-store';
import { createTestPki, type TestPki } from '../test-pki/create-test-pki';

const build = { name: 'Akson', version: '0.1.0', buildTime: '2026-11-28T08:00:00.000Z' };
const der = (pem: string): Uint8Array => Uint8Array.from(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));

const until = async (condition: () => boolean, ms = 10_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) {
      throw new Error('timed out');
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
};

/** The failure screen's "rebuild from the journal" for a cache that would not open. */
describe('cache.rebuild', () => {
  let dir = '';
  let pki: TestPki;
  let core: Core | undefined;
  let server: { close: () => Promise<unknown> } | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'akson-rebuild-'));
    pki = createTestPki(dir);
  }, 60_000);
  afterAll(async () => {
    await core?.dispose();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('knows whether drafts may exist across locks (for the updater), and sets a cache whose key file is damaged aside, keeps it, and opens a new one', async () => {
    const database = await openPgliteDatabase();
    const { app, baseUrl } = await createJournalServer({
      database,
      version: '0.1.0',
      cardLogin: { trustedRoots: [der(pki.caCertPem), der(pki.demoCaCertPem)], crls: [der(pki.crlPem), der(pki.demoCrlPem)], acceptTestCards: true },
    });
    const store = new ResourceStore(database);
    await store.db.transaction((tx) => store.create(tx, 'Practitioner', { resourceType: 'Practitioner', identifier: [{ system: HPR_SYSTEM, value: pki.demoCard.hpr }] }));
    await app.listen({ port: 0, host: '127.0.0.1' });
    server = app;
    const journalUrl = baseUrl().replace(/\/fhir$/, '');
    const dataDir = join(dir, 'workstation');
    core = createCore({
      build,
      mode: 'dev-host',
      log: memoryLog().log,
      clockIntervalMs: 60_000,
      session: { journalUrl, card: { kind: 'test-card', folder: pki.demoCard.file } },
      offline: { dataDir, keyStore: new FileKeyStore(dataDir) },
    });
    const folder = clinicianFolder(cacheRootFor(dataDir, journalUrl), pki.demoCard.hpr);

    // No cache on this PC for this journal: no draft can exist (what the updater asks).
    expect(core.workspace.mayHaveUnsignedDrafts()).toBe(false);
    await core.dispatch('session.login', { pin: pki.demoCard.pin });
    await until(() => existsSync(join(folder, 'cache-key.json')));
    await expect(core.dispatch('draft.save', { key: 'note:p1', patientId: 'p1', value: { text: 'utkast' } })).resolves.toMatchObject({ ok: true });
    expect(core.workspace.mayHaveUnsignedDrafts()).toBe(true);
    await core.dispatch('session.lock', {});
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Locked with a draft: still "maybe" (the closed cache held one).
    expect(core.workspace.mayHaveUnsignedDrafts()).toBe(true);
    await core.dispatch('session.login', { pin: pki.demoCard.pin });
    await until(() => core?.workspace.mayHaveUnsignedDrafts() === true);
    await expect(core.dispatch('draft.delete', { key: 'note:p1' })).resolves.toMatchObject({ ok: true });
    expect(core.workspace.mayHaveUnsignedDrafts()).toBe(false);
    await core.dispatch('session.lock', {});
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Locked with no draft: known, since nothing saves into a closed cache.
    expect(core.workspace.mayHaveUnsignedDrafts()).toBe(false);
    writeFileSync(join(folder, 'cache-key.json'), 'not a key file');

    await core.dispatch('session.login', { pin: pki.demoCard.pin });
    await until(() => core?.workspace.cacheFailure() !== undefined);
    // A cache that does not open can not say what it holds.
    expect(core.workspace.mayHaveUnsignedDrafts()).toBe(true);
    await expect(core.dispatch('app.health', {})).resolves.toMatchObject({ ok: true, value: { problems: [{ kind: 'cache-unavailable', code: 'KEY_FILE_INVALID', unsent: { state: 'unknown' } }] } });

    const rebuilt = await core.dispatch('cache.rebuild', {});
    expect(rebuilt).toMatchObject({ ok: true, value: { setAsidePath: expect.stringContaining('.set-aside-') as unknown } });
    expect(existsSync((rebuilt as { value: { setAsidePath: string } }).value.setAsidePath)).toBe(true);
    await expect(core.dispatch('app.health', {})).resolves.toEqual({ ok: true, value: { problems: [] } });
    // The new cache is open and empty; the one set aside is not in use.
    expect(core.workspace.mayHaveUnsignedDrafts()).toBe(false);
    await expect(core.dispatch('cache.rebuild', {})).resolves.toMatchObject({ ok: false, error: { code: 'REFUSED' } });
  });
});
