import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../shared/contract';
import { createCore, type Core } from '../../electron/core/core';
import { memoryLog } from '../../electron/core/test-support/memory-log';
import { openPgliteDatabase } from '../../server/db/pglite-database';
import { HPR_SYSTEM } from '../../server/fhir/identifiers';
import { createJournalServer } from '../../server/journal-server';
import { ResourceStore } from '../../server/store/resource-store';
import { createTestPki, type TestPki } from '../test-pki/create-test-pki';

const build = { name: 'Akson', version: '0.1.0', buildTime: '2026-11-28T08:00:00.000Z' };
const der = (pem: string): Uint8Array => Uint8Array.from(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));

/** The session calls through the contract, as the PIN dialog makes them: core, card and a real journal. */
describe('session.* through the contract', () => {
  let dir = '';
  let pki: TestPki;
  const servers: { close: () => Promise<unknown> }[] = [];
  const cores: Core[] = [];

  /** A journal that knows the given clinicians; `demo` also trusts the TEST card's CA. */
  const journal = async (hprs: string[], demo: boolean): Promise<string> => {
    const database = await openPgliteDatabase();
    const { app, baseUrl } = await createJournalServer({
      database,
      version: '0.1.0',
      cardLogin: demo
        ? { trustedRoots: [der(pki.caCertPem), der(pki.demoCaCertPem)], crls: [der(pki.crlPem), der(pki.demoCrlPem)], acceptTestCards: true }
        : { trustedRoots: [der(pki.caCertPem)], crls: [der(pki.crlPem)] },
    });
    const store = new ResourceStore(database);
    for (const hpr of hprs) {
      await store.db.transaction((tx) => store.create(tx, 'Practitioner', { resourceType: 'Practitioner', identifier: [{ system: HPR_SYSTEM, value: hpr }] }));
    }
    await app.listen({ port: 0, host: '127.0.0.1' });
    servers.push(app);
    return baseUrl().replace(/\/fhir$/, '');
  };

  const core = (session: Parameters<typeof createCore>[0]['session']) => {
    const { log, lines } = memoryLog();
    const made = createCore({ build, mode: 'dev-host', log, session, clockIntervalMs: 60_000 });
    cores.push(made);
    const changes: EventPayload<'session.changed'>[] = [];
    made.events.subscribe((event, payload) => {
      if (event === 'session.changed') {
        changes.push(payload as EventPayload<'session.changed'>);
      }
    });
    return { core: made, changes, lines };
  };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'akson-session-'));
    pki = createTestPki(dir);
    process.env.SOFTHSM2_CONF = pki.softhsmConf;
  }, 60_000);
  afterAll(async () => {
    for (const made of cores) {
      await made.dispose();
    }
    await Promise.all(servers.map((server) => server.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('logs in with the TEST card and its PIN, says who is logged in, and locks on request', async () => {
    const journalUrl = await journal([pki.demoCard.hpr], true);
    const { core: made, changes, lines } = core({ journalUrl, card: { kind: 'test-card', folder: pki.demoCard.file } });
    await expect(made.dispatch('session.status', {})).resolves.toEqual({
      ok: true,
      value: { state: 'logged-out', card: { label: 'TEST-KORT (demo)', isTest: true }, journalUrl },
    });

    const wrong = await made.dispatch('session.login', { pin: '000000' });
    expect(wrong).toMatchObject({ ok: true, value: { ok: false, code: 'PIN_INCORRECT', status: { state: 'logged-out' } } });

    const right = await made.dispatch('session.login', { pin: pki.demoCard.pin });
    expect(right).toMatchObject({
      ok: true,
      value: { ok: true, status: { state: 'active', card: { isTest: true }, clinician: { hpr: pki.demoCard.hpr, name: 'Demo Lege (TEST)' } } },
    });
    expect(made.session.token()).toMatch(/^ey/);
    expect(changes.at(-1)?.state).toBe('active');
    // A second login while one is active is refused, and the first stays as it was.
    const token = made.session.token();
    await expect(made.dispatch('session.login', { pin: pki.demoCard.pin })).resolves.toMatchObject({ ok: true, value: { ok: false, code: 'ALREADY_ACTIVE', status: { state: 'active' } } });
    expect(made.session.token()).toBe(token);

    await expect(made.dispatch('session.lock', {})).resolves.toMatchObject({ ok: true, value: { state: 'locked' } });
    expect(made.session.token()).toBeUndefined();
    expect(changes.at(-1)?.state).toBe('locked');
    // The PIN never reaches a log line, right or wrong.
    expect(lines().join('\n')).not.toContain(pki.demoCard.pin);
    expect(lines().join('\n')).not.toContain('000000');
  });

  it('refuses a PIN that is not 4-12 digits before it reaches the card', async () => {
    const { core: made } = core({ journalUrl: 'http://127.0.0.1:9', card: { kind: 'test-card', folder: pki.demoCard.file } });
    await expect(made.dispatch('session.login', { pin: '12a4' })).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    await expect(made.dispatch('session.login', { pin: '123456', extra: 1 })).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('says LOGIN_REFUSED, with the journal reason, when a real journal meets the TEST card', async () => {
    const journalUrl = await journal([pki.demoCard.hpr], false);
    const { core: made } = core({ journalUrl, card: { kind: 'test-card', folder: pki.demoCard.file } });
    const answer = await made.dispatch('session.login', { pin: pki.demoCard.pin });
    expect(answer).toMatchObject({ ok: true, value: { ok: false, code: 'LOGIN_REFUSED', status: { state: 'logged-out' } } });
    expect(made.session.token()).toBeUndefined();
  });

  it('logs in offline with the card alone when nobody answers, without a journal token, and locks as usual', async () => {
    const { core: made } = core({ journalUrl: 'http://127.0.0.1:9', card: { kind: 'test-card', folder: pki.demoCard.file } });
    await expect(made.dispatch('session.login', { pin: '000000' })).resolves.toMatchObject({ ok: true, value: { ok: false, code: 'PIN_INCORRECT' } });
    await expect(made.dispatch('session.login', { pin: pki.demoCard.pin })).resolves.toMatchObject({
      ok: true,
      value: { ok: true, status: { state: 'active', offline: true, clinician: { hpr: pki.demoCard.hpr } } },
    });
    expect(made.session.token()).toBeUndefined();
    expect(made.session.activeCard()?.isTest).toBe(true);
    await expect(made.dispatch('session.lock', {})).resolves.toMatchObject({ ok: true, value: { state: 'locked' } });
    expect(made.session.activeCard()).toBeUndefined();
  });

  it('logs in with a PKCS#11 card (SoftHSM2), and locks when the card leaves its reader', async () => {
    const clinician = pki.clinicians[1];
    if (!clinician) {
      throw new Error('the test PKI has no second clinician');
    }
    const journalUrl = await journal([clinician.hpr], false);
    const { core: made, changes } = core({ journalUrl, card: { kind: 'pkcs11', modulePath: pki.modulePath, tokenLabel: clinician.tokenLabel } });
    await expect(made.dispatch('session.status', {})).resolves.toMatchObject({ ok: true, value: { state: 'logged-out', card: { label: clinician.tokenLabel, isTest: false } } });
    await expect(made.dispatch('session.login', { pin: '999999' })).resolves.toMatchObject({ ok: true, value: { ok: false, code: expect.stringMatching(/^PIN_INCORRECT/) as string } });
    await expect(made.dispatch('session.login', { pin: clinician.pin })).resolves.toMatchObject({
      ok: true,
      value: { ok: true, status: { state: 'active', clinician: { hpr: clinician.hpr, name: clinician.name } } },
    });

    // Take the card out: SoftHSM2's token goes away when its folder entry is deleted.
    const { execFileSync } = await import('node:child_process');
    execFileSync('softhsm2-util', ['--delete-token', '--token', clinician.tokenLabel], { env: { ...process.env, SOFTHSM2_CONF: pki.softhsmConf }, stdio: 'ignore' });
    const started = Date.now();
    while (changes.at(-1)?.state === 'active' && Date.now() - started < 5_000) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(Date.now() - started).toBeLessThan(2_500);
    expect(made.session.token()).toBeUndefined();
    expect(['no-card', 'locked']).toContain(changes.at(-1)?.state);
  });
});
