import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNeedPolicy } from '../../server/access/need-policy';
import { PRACTITIONER_ROLE_SYSTEM } from '../../server/directory/directory-rules';
import { BLOCK_CATEGORY_CODE, BLOCK_CATEGORY_SYSTEM } from '../../server/access/block-consent';
import { removeDir, startSyncJournal, startWorkstation, type Workstation } from './sync-harness';

type Journal = Awaited<ReturnType<typeof startSyncJournal>>;

/** A block (sperring) of one document, as the journal records it at the patient's request. */
const blockOf = (patientId: string, document: string) => ({
  status: 'active',
  scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
  category: [{ coding: [{ system: BLOCK_CATEGORY_SYSTEM, code: BLOCK_CATEGORY_CODE }] }],
  patient: { reference: `Patient/${patientId}` },
  provision: { type: 'deny', data: [{ meaning: 'instance', reference: { reference: document } }] },
});

/**
 * The workstation's cache holds only what the journal allows now (issue 12): a block added in the
 * journal, or a self-authorisation that ran out, takes the data off this PC at the next pull.
 * Against the real journal with the need policy, through the contract.
 */
describe('access and the offline cache', () => {
  const dir = mkdtempSync(join(tmpdir(), 'akson-access-cache-'));
  let journal: Journal;
  let ws: Workstation;
  let offset = 0;
  const ids: Record<string, string> = {};

  const create = async (type: string, body: Record<string, unknown>): Promise<string> =>
    (await journal.store.db.transaction((tx) => journal.store.create(tx, type, { resourceType: type, ...body }))).id;
  const note = (patientId: string, title: string) =>
    create('Composition', { status: 'final', type: { text: 'Journalnotat' }, subject: { reference: `Patient/${patientId}` }, date: '2026-11-01', title, author: [{ reference: 'Practitioner/someone-else' }] });
  const typesIn = (resources: { resourceType: string; id?: string }[]): string[] => resources.map((r) => `${r.resourceType}/${r.id ?? ''}`);

  beforeAll(async () => {
    journal = await startSyncJournal(dir, { policy: createNeedPolicy({ now: () => new Date(Date.now() + offset) }) });
    const practitionerId = (await journal.database.query<{ id: string }>(`SELECT id FROM resource WHERE resource_type = 'Practitioner'`)).rows[0]?.id ?? '';
    const office = await create('Organization', { active: true, name: 'Testbyen legekontor' });
    const role = await create('PractitionerRole', {
      practitioner: { reference: `Practitioner/${practitionerId}` },
      organization: { reference: `Organization/${office}` },
      code: [{ coding: [{ system: PRACTITIONER_ROLE_SYSTEM, code: 'physician' }] }],
    });
    ids.listed = await create('Patient', { name: [{ family: 'Listed', given: ['Lise'] }], generalPractitioner: [{ reference: `PractitionerRole/${role}` }] });
    ids.stranger = await create('Patient', { name: [{ family: 'Fremmed', given: ['Frida'] }] });
    ids.kept = await note(ids.listed, 'Kontroll');
    ids.hidden = await note(ids.listed, 'Samtale');
    ids.strangerNote = await note(ids.stranger, 'Legevakt');
    ws = await startWorkstation(journal.url, journal.pki);
  }, 60_000);

  afterAll(async () => {
    await ws?.close();
    await journal?.close();
    removeDir(dir);
  });

  it('a block added in the journal takes the blocked note off this PC at the next pull, and the chart says something is blocked', async () => {
    const first = await ws.call('chart.open', { patientId: ids.listed ?? '' });
    expect(typesIn(first.resources)).toEqual(expect.arrayContaining([`Composition/${ids.kept ?? ''}`, `Composition/${ids.hidden ?? ''}`]));
    expect(first.access).toEqual({ refused: null, blocked: false, grant: null });

    await create('Consent', blockOf(ids.listed ?? '', `Composition/${ids.hidden ?? ''}`));
    // Cached: answers at once, pulls behind; the pull finds the block and drops what it hides.
    await ws.call('chart.open', { patientId: ids.listed ?? '' });
    await expect.poll(async () => typesIn((await ws.call('chart.open', { patientId: ids.listed ?? '' })).resources), { timeout: 15_000 }).not.toContain(`Composition/${ids.hidden ?? ''}`);
    const after = await ws.call('chart.open', { patientId: ids.listed ?? '' });
    expect(typesIn(after.resources)).toContain(`Composition/${ids.kept ?? ''}`);
    expect(after.access.blocked).toBe(true);
  });

  it("a block recorded from the workstation at the patient's request hides the document (its author excepted) and comes off this PC", async () => {
    const before = await ws.call('chart.open', { patientId: ids.listed ?? '' });
    expect(typesIn(before.resources)).toContain(`Composition/${ids.kept ?? ''}`);
    await expect(ws.call('access.recordBlock', { patientId: ids.listed ?? '', document: `Composition/${ids.kept ?? ''}`, note: '' })).rejects.toThrow();
    await ws.call('access.recordBlock', { patientId: ids.listed ?? '', document: `Composition/${ids.kept ?? ''}`, note: 'Pasienten ønsker notatet sperret' });
    const after = await ws.call('chart.open', { patientId: ids.listed ?? '' });
    expect(typesIn(after.resources)).not.toContain(`Composition/${ids.kept ?? ''}`);
    const consents = await journal.database.query<{ n: number }>(`SELECT count(*)::int AS n FROM resource WHERE resource_type = 'Consent'`);
    expect(consents.rows[0]?.n).toBe(2);
  });

  it("the access log is the privacy officer's: a physician asking gets the journal's refusal, not an empty list", async () => {
    await expect(ws.call('access.log', { patientId: ids.listed ?? '' })).rejects.toThrow(/privacy|personvern|own record|403|forbidden/i);
  });

  it('a refused record keeps only demographics here; self-authorisation opens it for a time; when the grant runs out the next pull takes it off this PC', async () => {
    const refused = await ws.call('chart.open', { patientId: ids.stranger ?? '' });
    expect(refused.access.refused).toMatch(/./);
    expect(typesIn(refused.resources)).toEqual([`Patient/${ids.stranger ?? ''}`]);

    await expect(ws.call('access.selfAuthorise', { patientId: ids.stranger ?? '', reason: 'emergency', text: '' })).rejects.toThrow();
    const grant = await ws.call('access.selfAuthorise', { patientId: ids.stranger ?? '', reason: 'emergency', text: 'Innlagt bevisstløs på legevakt' });
    expect(Date.parse(grant.expiresAt) - Date.now()).toBeGreaterThan(3.9 * 3600_000);
    const granted = await ws.call('chart.open', { patientId: ids.stranger ?? '' });
    expect(typesIn(granted.resources)).toContain(`Composition/${ids.strangerNote ?? ''}`);
    expect(granted.access).toMatchObject({ refused: null, grant: { reason: 'emergency', text: 'Innlagt bevisstløs på legevakt' } });

    // Five hours on, the journal no longer allows it: the next pull leaves the demographics only.
    offset += 5 * 3600_000;
    await ws.call('chart.open', { patientId: ids.stranger ?? '' });
    await expect.poll(async () => typesIn((await ws.call('chart.open', { patientId: ids.stranger ?? '' })).resources), { timeout: 15_000 }).toEqual([`Patient/${ids.stranger ?? ''}`]);
    expect((await ws.call('chart.open', { patientId: ids.stranger ?? '' })).access.refused).toMatch(/./);
  });
});
