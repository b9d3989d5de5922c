import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRACTITIONER_ROLE_SYSTEM } from '../../server/directory/directory-rules';
import { everything } from '../../server/store/visibility';
import { verifyProvenance, type SignableResource, type SignatureProvenance } from '../../shared/signing/provenance';
import type { FaultProxy } from '../test-support/fault-proxy';
import { removeDir, startJournalBehindProxy, startWorkstation, type startSyncJournal, type Workstation } from './sync-harness';

type Journal = Awaited<ReturnType<typeof startSyncJournal>>;

/** Workstation cores syncing with the real journal (PGlite), through the contract. */
describe('offline-first sync between workstations and the journal', () => {
  const dir = mkdtempSync(join(tmpdir(), 'akson-sync-'));
  let journal: Journal;
  let proxy: FaultProxy;
  const stations: Workstation[] = [];
  let patientId = '';
  let medicationId = '';

  const station = async (): Promise<Workstation> => {
    const made = await startWorkstation(proxy.url, journal.pki);
    stations.push(made);
    return made;
  };
  const serverCount = async (type: string): Promise<number> =>
    (await journal.database.query<{ n: number }>('SELECT count(*)::int AS n FROM resource WHERE resource_type = $1', [type])).rows[0]?.n ?? 0;

  beforeAll(async () => {
    ({ journal, proxy } = await startJournalBehindProxy(dir));
    const patient = await journal.store.db.transaction((tx) =>
      journal.store.create(tx, 'Patient', {
        resourceType: 'Patient',
        identifier: [{ system: 'urn:oid:2.16.578.1.12.4.1.4.1', value: '15528012345' }],
        name: [{ family: 'Ødegård', given: ['Åse'] }],
        birthDate: '1980-05-15',
      }),
    );
    patientId = patient.id;
    const medication = await journal.store.db.transaction((tx) =>
      journal.store.create(tx, 'MedicationStatement', {
        resourceType: 'MedicationStatement',
        status: 'active',
        subject: { reference: `Patient/${patientId}` },
        medicationCodeableConcept: { text: 'Paracet 500 mg' },
        dosage: [{ text: '1 tablett ved behov' }],
      }),
    );
    medicationId = medication.id;
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

  it('opens a chart from the journal, then from the cache, and finds the patient without accents', async () => {
    const ws = await station();
    const first = await ws.call('chart.open', { patientId });
    expect(first.fromCache).toBe(false);
    expect(first.resources[0]?.resourceType).toBe('Patient');
    expect(first.resources.map((r) => r.resourceType)).toContain('MedicationStatement');
    const again = await ws.call('chart.open', { patientId });
    expect(again.fromCache).toBe(true);
    expect(again.resources).toHaveLength(first.resources.length);
    expect((await ws.call('patients.search', { query: 'ase ode' })).hits.map((hit) => hit.patient.id)).toEqual([patientId]);
    expect((await ws.call('patients.search', { query: '1552801' })).hits.map((hit) => hit.patient.id)).toEqual([patientId]);
  });

  it('keeps a note saved while the network is down, and sends it exactly once when it is back', async () => {
    const ws = await station();
    await ws.call('chart.open', { patientId });
    const before = await serverCount('Composition');
    proxy.setOnline(false);
    const saved = await ws.call('journal.save', {
      resource: { resourceType: 'Composition', status: 'final', type: { text: 'Notat' }, subject: { reference: `Patient/${patientId}` }, date: '2026-11-28', title: 'Notat', author: [{ display: 'Demo Lege' }] },
    });
    expect(saved.resourceId).toBe(`local-${saved.clientId}`);
    const offline = await ws.call('sync.now', {});
    expect(offline).toMatchObject({ online: false, pending: 1 });
    expect(offline.lastError).toMatch(/network/);
    // The chart shows the note at once, from the cache.
    expect((await ws.call('chart.open', { patientId })).resources.some((r) => r.id === saved.resourceId)).toBe(true);

    proxy.setOnline(true);
    // The retry is scheduled with backoff; sync.now sends it at once once it is due.
    let status = await ws.call('sync.now', {});
    for (let i = 0; i < 100 && status.pending > 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = await ws.call('sync.now', {});
    }
    expect(status).toMatchObject({ online: true, pending: 0, conflicts: 0, failed: 0 });
    expect(await serverCount('Composition')).toBe(before + 1);
    const chart = await ws.call('chart.open', { patientId });
    expect(chart.resources.some((r) => r.id === saved.resourceId)).toBe(false);
    expect(chart.resources.filter((r) => r.resourceType === 'Composition')).toHaveLength(1);
  });

  it("prefetches today's appointments and the GP list in the background, so those charts are there offline", async () => {
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
    const listed: string[] = [];
    for (const [index, name] of ['Bjørn', 'Søren', 'Pål'].entries()) {
      const patient = await store.db.transaction((tx) =>
        store.create(tx, 'Patient', {
          resourceType: 'Patient',
          name: [{ family: 'Listepasient', given: [name] }],
          birthDate: `1990-01-0${index + 1}`,
          ...(index < 2 ? { generalPractitioner: [{ reference: `PractitionerRole/${role.id}` }] } : {}),
        }),
      );
      listed.push(patient.id);
    }
    const today = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Oslo' }).format(new Date());
    // The third is not on the list but has an appointment today.
    await store.db.transaction((tx) =>
      store.create(tx, 'Appointment', {
        resourceType: 'Appointment',
        status: 'booked',
        start: `${today}T10:00:00+01:00`,
        end: `${today}T10:20:00+01:00`,
        participant: [
          { actor: { reference: `Patient/${listed[2] ?? ''}` }, status: 'accepted' },
          { actor: { reference: `Practitioner/${practitionerId}` }, status: 'accepted' },
        ],
      }),
    );
    const ws = await station();
    await expect.poll(() => ws.core.workspace.prefetched, { timeout: 10_000 }).toBeGreaterThanOrEqual(3);
    proxy.setOnline(false);
    try {
      const found = await ws.call('patients.search', { query: 'listepas' });
      expect(found.hits.map((hit) => hit.patient.id).sort()).toEqual([...listed].sort());
      for (const id of listed) {
        const chart = await ws.call('chart.open', { patientId: id });
        expect(chart).toMatchObject({ fromCache: true, resources: [{ resourceType: 'Patient', id }] });
      }
    } finally {
      proxy.setOnline(true);
    }
  });

  it('two workstations edit the same medication: one wins, the other gets a conflict and resolves it through the contract', async () => {
    const [a, b] = [await station(), await station()];
    const medicationOf = async (ws: Workstation) =>
      (await ws.call('chart.open', { patientId })).resources.find((r) => r.id === medicationId) as Record<string, unknown> & { meta: { versionId: string } };
    const onA = await medicationOf(a);
    const onB = await medicationOf(b);
    expect(onA.meta.versionId).toBe(onB.meta.versionId);

    await a.call('journal.save', { resource: { ...onA, dosage: [{ text: '2 tabletter morgen (A)' }] } });
    await b.call('journal.save', { resource: { ...onB, status: 'stopped', dosage: [{ text: 'seponert (B)' }] } });
    expect(await a.call('sync.now', {})).toMatchObject({ pending: 0, conflicts: 0 });
    expect(await b.call('sync.now', {})).toMatchObject({ pending: 0, conflicts: 1 });

    const [conflict] = await b.call('sync.conflicts', {});
    expect(conflict?.theirs).toMatchObject({ dosage: [{ text: '2 tabletter morgen (A)' }] });
    expect(conflict?.mine).toMatchObject({ dosage: [{ text: 'seponert (B)' }] });
    // Never a silent overwrite: the journal holds A's version until B decides.
    expect((await journal.database.query<{ json: { dosage: { text: string }[] } }>('SELECT content AS json FROM resource WHERE id = $1', [medicationId])).rows[0]?.json.dosage[0]?.text).toBe('2 tabletter morgen (A)');

    // B keeps theirs plus a merge: A's dosage, B's stop.
    const merged = { ...(conflict?.theirs ?? {}), status: 'stopped' };
    await b.call('sync.resolve', { conflictId: conflict?.id, keep: 'merged', merged });
    expect(await b.call('sync.now', {})).toMatchObject({ pending: 0, conflicts: 0 });
    // A's chart answers from its cache at once and catches up in the background.
    await expect.poll(async () => (await medicationOf(a)).status, { timeout: 5_000 }).toBe('stopped');
    const final = await medicationOf(a);
    expect(final).toMatchObject({ status: 'stopped', dosage: [{ text: '2 tabletter morgen (A)' }] });
    expect(Number(final.meta.versionId)).toBe(Number(onA.meta.versionId) + 2);

    // Another round, where B takes theirs: B's change is dropped, B's cache shows A's version.
    await expect.poll(async () => (await medicationOf(b)).meta.versionId, { timeout: 5_000 }).toBe(final.meta.versionId);
    const base = await medicationOf(b);
    await a.call('journal.save', { resource: { ...final, note: [{ text: 'A' }] } });
    await b.call('journal.save', { resource: { ...base, note: [{ text: 'B' }] } });
    await a.call('sync.now', {});
    expect(await b.call('sync.now', {})).toMatchObject({ conflicts: 1 });
    const [second] = await b.call('sync.conflicts', {});
    await b.call('sync.resolve', { conflictId: second?.id, keep: 'theirs' });
    expect(await b.call('sync.status', {})).toMatchObject({ pending: 0, conflicts: 0 });
    expect((await medicationOf(b)).note).toEqual([{ text: 'A' }]);
    expect(await journal.database.query('SELECT 1 FROM resource WHERE id = $1 AND content @> $2::jsonb', [medicationId, JSON.stringify({ note: [{ text: 'A' }] })])).toMatchObject({ rows: [{}] });
  });

  it('shows a change the journal refused with its reason, and lets the clinician throw it away', async () => {
    const ws = await station();
    await ws.call('chart.open', { patientId });
    // An identifier the journal refuses: a national id that is not valid.
    const saved = await ws.call('journal.save', {
      resource: {
        resourceType: 'MedicationStatement',
        status: 'active',
        subject: { reference: `Patient/${patientId}` },
        medicationCodeableConcept: { text: 'Paracet 1 g' },
        identifier: [{ system: 'urn:oid:2.16.578.1.12.4.1.4.1', value: '12345678901' }],
      },
    });
    expect(await ws.call('sync.now', {})).toMatchObject({ pending: 0, failed: 1 });
    const [refused] = await ws.call('sync.failed', {});
    expect(refused).toMatchObject({ resourceType: 'MedicationStatement', resourceId: saved.resourceId, patientId });
    expect(refused?.reason).toMatch(/^400: .*identifier/);
    await expect(ws.call('sync.discard', { seq: 999_999 })).rejects.toThrow(/REFUSED/);
    expect(await ws.call('sync.discard', { seq: refused?.seq })).toMatchObject({ failed: 0, pending: 0 });
    expect((await ws.call('chart.open', { patientId })).resources.some((r) => r.id === saved.resourceId)).toBe(false);

    // A refused edit with another edit made on top of it: throwing the first away takes the second
    // too (it carries the refused content), and the journal's version comes back.
    const { store } = journal;
    const med = await store.db.transaction((tx) =>
      store.create(tx, 'MedicationStatement', { resourceType: 'MedicationStatement', status: 'active', subject: { reference: `Patient/${patientId}` }, medicationCodeableConcept: { text: 'Zyrtec' } }),
    );
    const read = async () => (await ws.call('chart.open', { patientId })).resources.find((r) => r.id === med.id) as Record<string, unknown> & { meta: { versionId: string } };
    await expect.poll(async () => (await read()) !== undefined, { timeout: 5_000 }).toBe(true);
    await ws.call('journal.save', { resource: { ...(await read()), identifier: [{ system: 'urn:oid:2.16.578.1.12.4.1.4.1', value: '12345678901' }] } });
    await ws.call('journal.save', { resource: { ...(await read()), dosage: [{ text: 'on top of the refused one' }] } });
    expect(await ws.call('sync.now', {})).toMatchObject({ pending: 1, failed: 1 });
    const [first] = await ws.call('sync.failed', {});
    expect(await ws.call('sync.discard', { seq: first?.seq })).toMatchObject({ pending: 0, failed: 0 });
    await expect.poll(async () => (await read())?.dosage, { timeout: 5_000 }).toBeUndefined();
    expect((await read()).meta.versionId).toBe('1');
  });

  it('never resends on top of a version that merely kept our change tag (another writer copied it)', async () => {
    const ws = await station();
    const { store } = journal;
    const med = await store.db.transaction((tx) =>
      store.create(tx, 'MedicationStatement', { resourceType: 'MedicationStatement', status: 'active', subject: { reference: `Patient/${patientId}` }, medicationCodeableConcept: { text: 'Ibux 400 mg' } }),
    );
    const read = async () => (await ws.call('chart.open', { patientId })).resources.find((r) => r.id === med.id) as Record<string, unknown> & { meta: { versionId: string } };
    await expect.poll(async () => (await read()) !== undefined, { timeout: 5_000 }).toBe(true);

    // Our change A, read back as the form shows it (A's local row on version 1), then sent: version 2.
    await ws.call('journal.save', { resource: { ...(await read()), dosage: [{ text: 'A' }] } });
    const formOnA = await read();
    expect(await ws.call('sync.now', {})).toMatchObject({ pending: 0, conflicts: 0 });
    // An integration updates version 2 and copies meta, our tag included: version 3.
    const current = (await store.read(store.db, 'MedicationStatement', med.id, everything)).resource as Record<string, unknown>;
    await store.db.transaction((tx) => store.update(tx, 'MedicationStatement', med.id, { ...current, note: [{ text: 'fra integrasjonen' }] }, 2, everything));
    // Edit B, made on A's row: the journal's version 3 is not the one our change produced.
    await ws.call('journal.save', { resource: { ...formOnA, dosage: [{ text: 'B' }] } });
    expect(await ws.call('sync.now', {})).toMatchObject({ pending: 0, conflicts: 1 });
    const stored = (await store.read(store.db, 'MedicationStatement', med.id, everything)).resource as { note?: unknown; dosage?: unknown };
    expect(stored).toMatchObject({ note: [{ text: 'fra integrasjonen' }], dosage: [{ text: 'A' }] });
    const [conflict] = await ws.call('sync.conflicts', {});
    // A merge must be of the conflict's own type.
    await expect(ws.call('sync.resolve', { conflictId: conflict?.id, keep: 'merged', merged: { resourceType: 'Composition', status: 'final' } })).rejects.toThrow(/INVALID_INPUT/);
    await ws.call('sync.resolve', { conflictId: conflict?.id, keep: 'theirs' });
  });

  it('sends an edit made on our own change that was sent meanwhile, without a conflict', async () => {
    const ws = await station();
    const { store } = journal;
    const med = await store.db.transaction((tx) =>
      store.create(tx, 'MedicationStatement', { resourceType: 'MedicationStatement', status: 'active', subject: { reference: `Patient/${patientId}` }, medicationCodeableConcept: { text: 'Pinex 500 mg' } }),
    );
    const read = async () => (await ws.call('chart.open', { patientId })).resources.find((r) => r.id === med.id) as Record<string, unknown> & { meta: { versionId: string } };
    await expect.poll(async () => (await read()) !== undefined, { timeout: 5_000 }).toBe(true);
    await ws.call('journal.save', { resource: { ...(await read()), dosage: [{ text: 'A' }] } });
    const formOnA = await read();
    await ws.call('sync.now', {});
    await ws.call('journal.save', { resource: { ...formOnA, dosage: [{ text: 'B' }] } });
    expect(await ws.call('sync.now', {})).toMatchObject({ pending: 0, conflicts: 0 });
    expect((await store.read(store.db, 'MedicationStatement', med.id, everything)).resource).toMatchObject({ dosage: [{ text: 'B' }], meta: { versionId: '3' } });
  });

  it('signs a note on the card (PIN for this signature) and sends note and signature in one transaction, exactly once even when the answer is lost', async () => {
    const ws = await station();
    await ws.call('chart.open', { patientId });
    const composition = { resourceType: 'Composition', status: 'final', type: { text: 'Notat' }, subject: { reference: `Patient/${patientId}` }, date: '2026-11-28', title: 'Signert notat', author: [{ display: 'Demo Lege' }] };
    expect(await ws.call('journal.signNote', { composition, pin: '000000' })).toEqual({ ok: false, code: 'PIN_INCORRECT' });
    // A signature freezes the note: it may not point at a record the journal does not have yet.
    await expect(ws.call('journal.signNote', { composition: { ...composition, encounter: { reference: 'Encounter/local-1f0c' } }, pin: journal.pki.demoCard.pin })).rejects.toThrow(/REFUSED/);
    const signed = await ws.call('journal.signNote', { composition, pin: journal.pki.demoCard.pin });
    if (!signed.ok) {
      throw new Error(`not signed: ${signed.code}`);
    }
    // The journal commits the transaction but the answer never arrives; the retry must find it.
    proxy.setFaults({ resetMidResponse: 1 });
    expect(await ws.call('sync.now', {})).toMatchObject({ pending: 1 });
    proxy.setFaults({});
    expect((await journal.database.query('SELECT 1 FROM resource WHERE resource_type = $1 AND id = $2', ['Composition', signed.saved.resourceId])).rows).toHaveLength(1);
    let status = await ws.call('sync.now', {});
    for (let i = 0; i < 50 && status.pending > 0; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = await ws.call('sync.now', {});
    }
    expect(status).toMatchObject({ pending: 0, failed: 0, conflicts: 0 });

    const note = (await journal.store.read(journal.store.db, 'Composition', signed.saved.resourceId, everything)).resource as SignableResource;
    expect(note).toMatchObject({ title: 'Signert notat', meta: { versionId: '1' } });
    const provenances = await journal.database.query<{ content: SignatureProvenance }>(
      `SELECT content FROM resource WHERE resource_type = 'Provenance' AND content->'target'->0->>'reference' = $1`,
      [`Composition/${signed.saved.resourceId}/_history/1`],
    );
    expect(provenances.rows).toHaveLength(1);
    const provenance = provenances.rows[0]?.content;
    if (!provenance) {
      throw new Error('no Provenance');
    }
    // The signature verifies over the note as the journal stored it, against the TEST card's CA.
    const der = (pem: string): Uint8Array => Uint8Array.from(Buffer.from(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''), 'base64'));
    await expect(verifyProvenance(provenance, note, { trustedRoots: [der(journal.pki.demoCaCertPem)], crls: [der(journal.pki.demoCrlPem)] })).resolves.toMatchObject({ ok: true });
  });

  it('keeps an autosaved draft across a restart, in the encrypted cache', async () => {
    const ws = await startWorkstation(proxy.url, journal.pki);
    const draft = { text: 'Utkast: pasienten har hatt feber i tre dager' };
    await ws.call('draft.save', { key: `note:${patientId}`, patientId, value: draft });
    await ws.close();
    const again = await startWorkstation(proxy.url, journal.pki, ws.dataDir);
    stations.push(again);
    expect(await again.call('draft.get', { key: `note:${patientId}` })).toMatchObject({ patientId, value: draft });
    await again.call('draft.delete', { key: `note:${patientId}` });
    expect(await again.call('draft.get', { key: `note:${patientId}` })).toBeNull();
  });

  it('writes no patient name, national id or note text to the log, whatever happened above', () => {
    const logs = stations.map((made) => made.logs()).join('\n');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of ['Ødegård', 'Åse', '15528012345', 'Listepasient', 'Paracet', 'tabletter', 'seponert', 'feber']) {
      expect(logs).not.toContain(secret);
    }
  });
});
