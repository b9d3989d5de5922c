import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventName } from '../../shared/contract';
import { PRACTITIONER_ROLE_SYSTEM } from '../../server/directory/directory-rules';
import { everything } from '../../server/store/visibility';
import type { FaultProxy } from '../test-support/fault-proxy';
import { removeDir, startJournalBehindProxy, startWorkstation, type startSyncJournal, type Workstation } from './sync-harness';

type Journal = Awaited<ReturnType<typeof startSyncJournal>>;
const der = (pem: string): Uint8Array => Uint8Array.from(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
const FNR = 'urn:oid:2.16.578.1.12.4.1.4.1';

/** The journal UI's read side through the contract, against the real journal (PGlite) behind a proxy that can go offline. */
describe('worklists, merged patient search, history and signatures', () => {
  const dir = mkdtempSync(join(tmpdir(), 'akson-journal-ui-'));
  let journal: Journal;
  let proxy: FaultProxy;
  let ws: Workstation;
  const stations: Workstation[] = [];
  const seen: { event: EventName; payload: unknown }[] = [];
  const ids: Record<string, string> = {};

  const patient = async (key: string, family: string, given: string, extra: Record<string, unknown> = {}) => {
    const stored = await journal.store.db.transaction((tx) => journal.store.create(tx, 'Patient', { resourceType: 'Patient', name: [{ family, given: [given] }], ...extra }));
    ids[key] = stored.id;
    return stored.id;
  };
  const station = async (options: { trusted?: boolean } = {}): Promise<Workstation> => {
    const made = await startWorkstation(proxy.url, journal.pki, undefined, options.trusted === false ? {} : { trustAnchors: { roots: [der(journal.pki.demoCaCertPem)], crls: [der(journal.pki.demoCrlPem)] } });
    stations.push(made);
    return made;
  };

  beforeAll(async () => {
    ({ journal, proxy } = await startJournalBehindProxy(dir));
    const { store, database } = journal;
    const practitionerId = (await database.query<{ id: string }>(`SELECT id FROM resource WHERE resource_type = 'Practitioner'`)).rows[0]?.id ?? '';
    const role = await store.db.transaction(async (tx) => {
      const office = await store.create(tx, 'Organization', { resourceType: 'Organization', active: true, name: 'Testbyen legekontor' });
      return store.create(tx, 'PractitionerRole', {
        resourceType: 'PractitionerRole',
        practitioner: { reference: `Practitioner/${practitionerId}` },
        organization: { reference: `Organization/${office.id}` },
        code: [{ coding: [{ system: PRACTITIONER_ROLE_SYSTEM, code: 'physician' }] }],
      });
    });
    const onList = { generalPractitioner: [{ reference: `PractitionerRole/${role.id}` }] };
    await patient('kari', 'Nordmann', 'Kari', { ...onList, birthDate: '1980-01-01', identifier: [{ system: FNR, value: '01018012371' }] });
    await patient('kristian', 'Nordvik', 'Kristian', onList);
    await patient('anne', 'Berg', 'Anne', onList);
    await patient('berit', 'Aas', 'Berit');
    // Neither on the list nor booked: only the journal knows her.
    await patient('karianne', 'Nordahl', 'Karianne', { birthDate: '1975-03-04', identifier: [{ system: FNR, value: '04037512325' }] });
    const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Oslo' }).format(new Date());
    for (const [key, time] of [
      ['berit', '09:00'],
      ['anne', '08:00'],
    ] as const) {
      await store.db.transaction((tx) =>
        store.create(tx, 'Appointment', {
          resourceType: 'Appointment',
          status: 'booked',
          start: `${today}T${time}:00+01:00`,
          end: `${today}T${time.slice(0, 3)}20:00+01:00`,
          participant: [
            { actor: { reference: `Patient/${ids[key] ?? ''}` }, status: 'accepted' },
            { actor: { reference: `Practitioner/${practitionerId}` }, status: 'accepted' },
          ],
        }),
      );
    }
    ws = await station();
    ws.core.events.subscribe((event, payload) => seen.push({ event, payload }));
  }, 60_000);

  afterAll(async () => {
    for (const made of stations) {
      await made.close();
      removeDir(made.dataDir);
    }
    await proxy.close();
    await journal.close();
    removeDir(dir);
  });

  it("answers today's list by start time and the GP list by name from the cache after the prefetch, also offline", async () => {
    await expect.poll(() => ws.core.workspace.prefetched, { timeout: 15_000 }).toBeGreaterThanOrEqual(4);
    const today = await ws.call('worklist.get', { list: 'today' });
    expect(today.rows.map((row) => row.patientId)).toEqual([ids.anne, ids.berit]);
    expect(today.rows.map((row) => row.appointment?.resourceType)).toEqual(['Appointment', 'Appointment']);
    expect(today.rows.every((row) => row.patient?.resourceType === 'Patient')).toBe(true);
    expect(today.refreshedAt).not.toBeNull();
    const gp = await ws.call('worklist.get', { list: 'gp-list' });
    expect(gp.rows.map((row) => (row.patient?.['name'] as { family: string }[] | undefined)?.[0]?.family)).toEqual(['Berg', 'Nordmann', 'Nordvik']);
    expect(gp.rows.every((row) => row.appointment === null)).toBe(true);
    await expect.poll(() => seen.filter((e) => e.event === 'worklist.updated').map((e) => (e.payload as { list: string }).list)).toEqual(expect.arrayContaining(['today', 'gp-list']));

    proxy.setOnline(false);
    try {
      expect(await ws.call('worklist.get', { list: 'today' })).toEqual(today);
      expect(await ws.call('worklist.get', { list: 'gp-list' })).toEqual(gp);
    } finally {
      proxy.setOnline(true);
    }
  }, 30_000);

  it('merges the journal into the search (a journal-only hit opens by pulling its chart), and answers from the cache alone offline', async () => {
    const cacheOnly = await ws.call('patients.search', { query: 'nord kari' });
    expect(cacheOnly.journal).toBe('not-asked');
    expect(cacheOnly.hits.map((hit) => [hit.patient.id, hit.source])).toEqual([[ids.kari, 'cache']]);
    const merged = await ws.call('patients.search', { query: 'kari nord', scope: 'all' });
    expect(merged.journal).toBe('answered');
    expect(merged.hits.map((hit) => [hit.patient.id, hit.source])).toEqual([
      [ids.kari, 'both'],
      [ids.karianne, 'journal'],
    ]);
    const byId = await ws.call('patients.search', { query: '040375 12325', scope: 'all' });
    expect(byId.hits.map((hit) => [hit.patient.id, hit.source])).toEqual([[ids.karianne, 'journal']]);
    expect((await ws.call('patients.search', { query: '04.03.1975', scope: 'all' })).hits.map((hit) => hit.patient.id)).toEqual([ids.karianne]);
    // A mistyped id finds nobody, and the journal is not asked.
    expect(await ws.call('patients.search', { query: '04037512326', scope: 'all' })).toEqual({ hits: [], journal: 'not-asked' });

    const chart = await ws.call('chart.open', { patientId: ids.karianne ?? '' });
    expect(chart).toMatchObject({ fromCache: false, resources: [{ resourceType: 'Patient', id: ids.karianne }] });
    expect((await ws.call('patients.search', { query: 'nordahl', scope: 'all' })).hits).toEqual([expect.objectContaining({ source: 'both' })]);

    proxy.setOnline(false);
    try {
      const started = performance.now();
      const offline = await ws.call('patients.search', { query: 'nord', scope: 'all' });
      expect(performance.now() - started).toBeLessThan(2_000);
      expect(offline.journal).toBe('offline');
      expect(offline.hits.map((hit) => hit.source)).toEqual(['cache', 'cache', 'cache']);
      expect(offline.hits.map((hit) => hit.patient.id).sort()).toEqual([ids.kari, ids.kristian, ids.karianne].sort());
    } finally {
      proxy.setOnline(true);
    }
  });

  it("shows every version from the journal's history, newest first, and offline the versions this PC holds", async () => {
    const id = ids.kristian ?? '';
    for (const phone of ['11111111', '22222222']) {
      await journal.store.db.transaction(async (tx) => {
        const current = await journal.store.read(tx, 'Patient', id, everything);
        await journal.store.update(tx, 'Patient', id, { ...current.resource, telecom: [{ system: 'phone', value: phone }] }, current.versionId, everything);
      });
    }
    const history = await ws.call('chart.history', { resourceType: 'Patient', id });
    expect(history.source).toBe('journal');
    expect(history.versions.map((v) => v.versionId)).toEqual(['3', '2', '1']);
    expect(history.versions[0]?.resource['telecom']).toEqual([{ system: 'phone', value: '22222222' }]);
    expect(history.versions.every((v) => v.lastUpdated !== null)).toBe(true);

    proxy.setOnline(false);
    try {
      const offline = await ws.call('chart.history', { resourceType: 'Patient', id });
      expect(offline.source).toBe('cache');
      expect(offline.versions.map((v) => v.versionId)).toEqual(['3', '2', '1']);
    } finally {
      proxy.setOnline(true);
    }
  });

  it('names the logged-in clinician as the recorder of a new allergy, problem and flag, whatever the screen sent; a change keeps the recorder it had', async () => {
    const patientId = ids.anne ?? '';
    await ws.call('chart.open', { patientId });
    const forged = { reference: 'Practitioner/someone-else', display: 'Noen andre' };
    const subject = { reference: `Patient/${patientId}` };
    const made = [
      { resourceType: 'AllergyIntolerance', patient: subject, code: { text: 'Penicillin (recorder test)' }, recorder: forged },
      { resourceType: 'Condition', subject, code: { text: 'Astma (recorder test)' } },
      { resourceType: 'Flag', status: 'active', subject, code: { text: 'Smittefare (recorder test)' }, author: forged },
    ];
    for (const resource of made) {
      await ws.call('journal.save', { resource });
    }
    await expect.poll(async () => (await ws.call('sync.now', {})).pending, { timeout: 10_000 }).toBe(0);
    const me = ws.core.session.practitionerReference();
    expect(me).toMatch(/^Practitioner\//);
    const chart = await ws.core.workspace.openChart(patientId);
    for (const resource of made) {
      const field = resource.resourceType === 'Flag' ? 'author' : 'recorder';
      const cached = chart.resources.find((r) => r.resourceType === resource.resourceType && (r as { code?: { text?: string } }).code?.text === resource.code.text) as Record<string, { reference?: string; display?: string }> | undefined;
      expect(cached?.[field]).toEqual({ reference: me, display: ws.core.session.status().clinician?.name });
      // The journal holds the same.
      const stored = await journal.database.query<{ who: string | null }>(`SELECT content->'${field}'->>'reference' AS who FROM resource WHERE resource_type = $1 AND content->'code'->>'text' = $2`, [resource.resourceType, resource.code.text]);
      expect(stored.rows.map((row) => row.who)).toEqual([me]);
    }
    // A change that names someone else keeps the recorder of the version it changes.
    const allergy = chart.resources.find((r) => r.resourceType === 'AllergyIntolerance' && (r as { code?: { text?: string } }).code?.text === made[0]?.code.text);
    await ws.call('journal.save', { resource: { ...allergy, resourceType: 'AllergyIntolerance', criticality: 'high', recorder: forged } });
    await expect.poll(async () => (await ws.call('sync.now', {})).pending, { timeout: 10_000 }).toBe(0);
    const changed = await journal.database.query<{ who: string | null; criticality: string | null }>(
      `SELECT content->'recorder'->>'reference' AS who, content->>'criticality' AS criticality FROM resource WHERE resource_type = 'AllergyIntolerance' AND id = $1`,
      [allergy?.id ?? ''],
    );
    expect(changed.rows).toEqual([{ who: me, criticality: 'high' }]);
  });

  it("verifies a note signed with the TEST card against the demo CA, finds a tampered one invalid, and says unsigned or unverifiable when it can not say more", async () => {
    const patientId = ids.kari ?? '';
    await ws.call('chart.open', { patientId });
    const composition = { resourceType: 'Composition', status: 'final', type: { text: 'Notat' }, subject: { reference: `Patient/${patientId}` }, date: '2026-11-28', title: 'Signert notat', author: [{ display: 'Demo Lege' }] };
    const signed = await ws.call('journal.signNote', { composition, pin: journal.pki.demoCard.pin });
    if (!signed.ok) {
      throw new Error(`not signed: ${signed.code}`);
    }
    const noteId = signed.saved.resourceId;
    expect(await ws.call('chart.verifySignature', { resourceType: 'Composition', id: noteId })).toMatchObject({ status: 'unverifiable', code: 'NOT_IN_JOURNAL_YET' });
    await expect.poll(async () => (await ws.call('sync.now', {})).pending, { timeout: 10_000 }).toBe(0);
    await ws.core.workspace.openChart(patientId);
    await expect.poll(() => ws.core.workspace.openChart(patientId).then((c) => c.resources.some((r) => r.id === noteId && r.meta?.versionId === '1')), { timeout: 10_000 }).toBe(true);

    const check = await ws.call('chart.verifySignature', { resourceType: 'Composition', id: noteId });
    expect(check).toMatchObject({ status: 'verified', code: null, signer: { name: `${journal.pki.demoCard.name} (TEST)`, hpr: journal.pki.demoCard.hpr, test: true } });
    expect(Date.parse(check.signedAt ?? '')).not.toBeNaN();
    // The Provenance is kept: offline it verifies from the cache.
    proxy.setOnline(false);
    try {
      expect(await ws.call('chart.verifySignature', { resourceType: 'Composition', id: noteId })).toMatchObject({ status: 'verified' });
    } finally {
      proxy.setOnline(true);
    }

    // Without trust anchors this workstation can not say.
    const untrusting = await station({ trusted: false });
    await untrusting.call('chart.open', { patientId });
    expect(await untrusting.call('chart.verifySignature', { resourceType: 'Composition', id: noteId })).toMatchObject({ status: 'unverifiable', code: 'NO_TRUST_ANCHORS' });
    // A Patient has no signature.
    expect(await untrusting.call('chart.verifySignature', { resourceType: 'Patient', id: patientId })).toMatchObject({ status: 'unsigned', code: null, signer: null });

    // Someone changes the stored note behind the journal's back (same version): the signature no longer matches it.
    await journal.database.query(`UPDATE resource SET content = jsonb_set(content, '{title}', '"Forfalsket notat"') WHERE resource_type = 'Composition' AND id = $1`, [noteId]);
    const fresh = await station();
    await fresh.call('chart.open', { patientId });
    expect(await fresh.call('chart.verifySignature', { resourceType: 'Composition', id: noteId })).toEqual({ status: 'invalid', code: 'DIGEST_MISMATCH', signer: null, signedAt: null });
  }, 30_000);
});
