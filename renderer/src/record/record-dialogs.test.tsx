import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { CriticalInfoSection } from '../chart/CriticalInfoSection';
import { ProblemListSection } from '../chart/ProblemListSection';
import type { SyncState } from '../chart/JournalTimeline';
import { shapeChart } from '../chart/shape-chart';
import { ActionProvider, useActions } from '../shell/actions';
import { callsOf, ok, renderWithContract } from '../test/render-with-contract';
import { allergyResource, emptyAllergyForm } from './record-builders';
import { CriticalInfoDialog } from './CriticalInfoDialog';
import { ProblemDialog } from './ProblemDialog';

const NOW = new Date('2026-12-02T10:00:00Z');
const patient = { resourceType: 'Patient', id: 'p1', name: [{ family: 'Nordmann', given: ['Kari'] }] };
const saved = (resourceType: string, resourceId: string) => ok({ clientId: '0b7c3a9e-3f1b-4b7a-9a51-5d7f2b1e8c11', resourceType, resourceId, savedAt: '2026-12-02T10:00:00.000Z' });
const stored = { ...allergyResource({ ...emptyAllergyForm(NOW), substance: 'Penicillin', reaction: 'Anafylaksi', severity: 'severe', verification: 'confirmed', criticality: 'high' }, 'p1'), id: 'a1', meta: { versionId: '2' } };
const savedResource = (transport: Parameters<typeof callsOf>[0]) => (callsOf(transport, 'journal.save')[0]?.[1] as { resource: Record<string, unknown> }).resource;

describe('critical information in the chart', () => {
  it('adds an allergy from the section header: journal.save gets a new AllergyIntolerance, the chart is told its key', async () => {
    const onSaved = vi.fn();
    const model = shapeChart([patient], NOW);
    const { transport } = renderWithContract(
      <ActionProvider>
        <CriticalInfoSection model={model} patientId="p1" syncStates={new Map()} onSaved={onSaved} />
      </ActionProvider>,
      { 'journal.save': saved('AllergyIntolerance', 'local-0b7c3a9e') },
    );
    fireEvent.click(screen.getByRole('button', { name: 'Ny allergi / CAVE' }));
    const dialog = await screen.findByRole('dialog', { name: 'Ny allergi eller kritisk informasjon' });
    fireEvent.change(within(dialog).getByLabelText(/Substans/), { target: { value: 'Penicillin' } });
    fireEvent.change(within(dialog).getByLabelText('Reaksjon'), { target: { value: 'Anafylaksi' } });
    fireEvent.change(within(dialog).getByLabelText('Alvorlighet'), { target: { value: 'severe' } });
    fireEvent.change(within(dialog).getByLabelText('Sikkerhet'), { target: { value: 'confirmed' } });
    fireEvent.change(within(dialog).getByLabelText('Kritikalitet'), { target: { value: 'high' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Lagre' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith('AllergyIntolerance/local-0b7c3a9e'));
    const resource = savedResource(transport);
    expect(resource).toMatchObject({ resourceType: 'AllergyIntolerance', criticality: 'high', code: { text: 'Penicillin' }, reaction: [{ severity: 'severe', manifestation: [{ text: 'Anafylaksi' }] }] });
    expect(resource.id).toBeUndefined();
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('shows each item with where its change stands, following a new one from its local id to the journal id', () => {
    const withClient = { ...stored, identifier: [{ system: 'urn:akson:client-id', value: 'c1' }] };
    const model = shapeChart([patient, withClient], NOW);
    const states = new Map<string, SyncState>([['AllergyIntolerance/local-c1', 'synced']]);
    renderWithContract(
      <ActionProvider>
        <CriticalInfoSection model={model} patientId="p1" syncStates={states} onSaved={() => undefined} />
      </ActionProvider>,
      {},
    );
    expect(screen.getByTestId('critical-item').querySelector('[data-testid="sync-state"]')?.getAttribute('data-state')).toBe('synced');
  });

  it('refuses a 10,000-character substance with a clear message and saves nothing', async () => {
    const { transport } = renderWithContract(<CriticalInfoDialog patientId="p1" item={undefined} onClose={() => undefined} onSaved={() => undefined} />, {});
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText(/Substans/), { target: { value: 'x'.repeat(10_000) } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Lagre' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('Teksten er for lang (høyst 500 tegn)');
    expect(callsOf(transport, 'journal.save')).toHaveLength(0);
  });

  it('keeps HTML and emoji as text, and says in Norwegian when core refuses the save', async () => {
    const { transport } = renderWithContract(<CriticalInfoDialog patientId="p1" item={undefined} onClose={() => undefined} onSaved={() => undefined} />, {
      'journal.save': { ok: false, error: { code: 'REFUSED', message: 'refused' } },
    });
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('Type'), { target: { value: 'flag' } });
    fireEvent.change(within(dialog).getByLabelText(/Kritisk informasjon/), { target: { value: '<img src=x onerror=alert(1)> pacemaker 🫀' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Lagre' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('Endringen ble ikke lagret: Dette kan ikke gjøres nå.');
    expect(savedResource(transport)).toMatchObject({ resourceType: 'Flag', status: 'active', code: { text: 'CAVE: <img src=x onerror=alert(1)> pacemaker 🫀' } });
    expect(dialog.querySelector('img')).toBeNull();
  });

  it('marks an allergy inactive as a change of the version edited, and lists its versions', async () => {
    const model = shapeChart([patient, stored], NOW);
    const item = model.critical[0];
    const { transport } = renderWithContract(<CriticalInfoDialog patientId="p1" item={item} onClose={() => undefined} onSaved={() => undefined} />, {
      'chart.history': ok({ versions: [{ versionId: '2', lastUpdated: '2026-12-02T09:00:00Z', resource: stored }, { versionId: '1', lastUpdated: '2026-12-01T09:00:00Z', resource: stored }], source: 'journal' }),
      'journal.save': saved('AllergyIntolerance', 'a1'),
    });
    const dialog = await screen.findByRole('dialog', { name: 'Endre allergi eller kritisk informasjon' });
    expect(within(dialog).getByLabelText<HTMLInputElement>(/Substans/).value).toBe('Penicillin');
    expect(await within(dialog).findAllByTestId('record-version')).toHaveLength(2);
    expect(within(dialog).getAllByTestId('record-version')[0]?.textContent).toContain('Versjon 2 (denne)');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Merk som inaktiv' }));
    await waitFor(() => expect(callsOf(transport, 'journal.save')).toHaveLength(1));
    expect(savedResource(transport)).toMatchObject({ id: 'a1', meta: { versionId: '2' }, clinicalStatus: { coding: [{ code: 'inactive' }] } });
  });

  it('does not offer to change an item the journal has not got yet', async () => {
    const model = shapeChart([patient, { ...stored, id: 'local-c1', meta: undefined }], NOW);
    renderWithContract(<CriticalInfoDialog patientId="p1" item={model.critical[0]} onClose={() => undefined} onSaved={() => undefined} />, {});
    const dialog = await screen.findByRole('dialog');
    expect(within(dialog).getByTestId('record-local-only')).toBeDefined();
    expect(within(dialog).getByRole<HTMLButtonElement>('button', { name: 'Lagre' }).disabled).toBe(true);
  });
});

function ActionIds() {
  const actions = useActions();
  return <output data-testid="action-ids">{actions.map((a) => `${a.id}:${a.group}`).join(' ')}</output>;
}

describe('the command palette', () => {
  it('offers a new allergy and a new problem under Pasient while the chart is shown', async () => {
    const model = shapeChart([patient], NOW);
    renderWithContract(
      <ActionProvider>
        <CriticalInfoSection model={model} patientId="p1" syncStates={new Map()} onSaved={() => undefined} />
        <ProblemListSection model={model} patientId="p1" syncStates={new Map()} onSaved={() => undefined} />
        <ActionIds />
      </ActionProvider>,
      {},
    );
    await waitFor(() => expect(screen.getByTestId('action-ids').textContent).toBe('record.allergy:Pasient record.problem:Pasient'));
  });
});

describe('the problem list', () => {
  it('adds a problem coded R74 from the ICPC-2 picker', async () => {
    const onSaved = vi.fn();
    const { transport } = renderWithContract(
      <ActionProvider>
        <ProblemListSection model={shapeChart([patient], NOW)} patientId="p1" syncStates={new Map()} onSaved={onSaved} />
      </ActionProvider>,
      { 'journal.save': saved('Condition', 'local-c2') },
    );
    fireEvent.click(screen.getByRole('button', { name: 'Nytt problem' }));
    const dialog = await screen.findByRole('dialog', { name: 'Nytt problem' });
    const field = within(dialog).getByRole('textbox', { name: 'Problem (ICPC-2)' });
    fireEvent.change(field, { target: { value: 'R74' } });
    // Enter on the highlighted code is proven in Chromium (e2e record-edit); here the option is clicked.
    const [first] = await within(dialog).findAllByTestId('code-option');
    fireEvent.click(first as HTMLElement);
    await waitFor(() => expect(within(dialog).getByTestId('problem-code').textContent).toContain('R74'));
    // Typed day first, as a Norwegian clinician writes it.
    const onset = within(dialog).getByLabelText('Debut');
    fireEvent.change(onset, { target: { value: '28.11.2026' } });
    fireEvent.blur(onset);
    await waitFor(() => expect((onset as HTMLInputElement).value).toBe('28.11.2026'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Lagre' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalledWith('Condition/local-c2'));
    expect(savedResource(transport)).toMatchObject({ resourceType: 'Condition', code: { coding: [{ code: 'R74' }] }, onsetDateTime: '2026-11-28', clinicalStatus: { coding: [{ code: 'active' }] } });
  });

  const k86 = (onsetDateTime: string) => ({ resourceType: 'Condition', id: 'c1', meta: { versionId: '4' }, clinicalStatus: { coding: [{ code: 'active' }] }, code: { coding: [{ system: 'urn:oid:2.16.578.1.12.4.1.1.7170', code: 'K86' }] }, subject: { reference: 'Patient/p1' }, onsetDateTime });

  it('never saves a date other than the one shown: a mistyped date is refused, not replaced by the last one that parsed (English too, day first)', async () => {
    const item = shapeChart([patient, k86('2020-03-04')], NOW).problems.active[0];
    const { transport } = renderWithContract(<ProblemDialog patientId="p1" item={item} onClose={() => undefined} onSaved={() => undefined} />, { 'journal.save': saved('Condition', 'c1') }, 'en');
    const dialog = await screen.findByRole('dialog', { name: 'Change problem' });
    const onset = within(dialog).getByLabelText<HTMLInputElement>('Onset');
    // 4 March, not 3 April, whatever the language.
    expect(onset.value).toBe('04.03.2020');
    // Edited in place: 31.03.2020 parses on the way to 31.04.2020, which is not a date.
    for (const text of ['3.03.2020', '31.03.2020', '31.0.2020', '31.04.2020']) {
      fireEvent.input(onset, { target: { value: text } });
      fireEvent.change(onset, { target: { value: text } });
    }
    fireEvent.blur(onset);
    expect((await within(dialog).findByText(/Not a date\. Type day, month and year/)).textContent).toContain('Nothing is saved until the date is valid.');
    expect(onset.value).toBe('31.04.2020');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect((await within(dialog).findByTestId('record-error')).textContent).toBe('The date is not valid.');
    expect(callsOf(transport, 'journal.save')).toHaveLength(0);
    // Put right (typed without dots), it is written out in full and saves what it shows.
    fireEvent.input(onset, { target: { value: '30042020' } });
    fireEvent.change(onset, { target: { value: '30042020' } });
    fireEvent.blur(onset);
    await waitFor(() => expect(onset.value).toBe('30.04.2020'));
    expect(within(dialog).queryByText(/Not a date/)).toBeNull();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(callsOf(transport, 'journal.save')).toHaveLength(1));
    expect(savedResource(transport)).toMatchObject({ onsetDateTime: '2020-04-30' });
  });

  it('saves a day picked in the calendar; Escape closes the calendar first and only then the dialog', async () => {
    const onClose = vi.fn();
    const item = shapeChart([patient, k86('2020-03-04')], NOW).problems.active[0];
    const { transport } = renderWithContract(<ProblemDialog patientId="p1" item={item} onClose={onClose} onSaved={() => undefined} />, { 'journal.save': saved('Condition', 'c1') });
    const dialog = await screen.findByRole('dialog', { name: 'Endre problem' });
    const onset = within(dialog).getByLabelText<HTMLInputElement>('Debut');
    fireEvent.focus(onset);
    fireEvent.keyDown(onset, { key: 'Escape' });
    expect(onClose).not.toHaveBeenCalled();
    fireEvent.keyDown(onset, { key: 'Escape' });
    expect(onClose).toHaveBeenCalledTimes(1);
    fireEvent.click(onset);
    fireEvent.click(await screen.findByRole('button', { name: '17 mars 2020' }));
    expect(onset.value).toBe('17.03.2020');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Lagre' }));
    await waitFor(() => expect(callsOf(transport, 'journal.save')).toHaveLength(1));
    expect(savedResource(transport)).toMatchObject({ onsetDateTime: '2020-03-17' });
  });

  it('says so when no code is picked, in English too', async () => {
    renderWithContract(<ProblemDialog patientId="p1" item={undefined} onClose={() => undefined} onSaved={() => undefined} />, {}, 'en');
    const dialog = await screen.findByRole('dialog', { name: 'New problem' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    expect((await within(dialog).findByRole('alert')).textContent).toContain('Pick an ICPC-2 code for the problem.');
  });

  it('resolves a problem with its date, keeping the version edited', async () => {
    const condition = { resourceType: 'Condition', id: 'c1', meta: { versionId: '4' }, clinicalStatus: { coding: [{ code: 'active' }] }, code: { coding: [{ system: 'urn:oid:2.16.578.1.12.4.1.1.7170', code: 'K86' }] }, subject: { reference: 'Patient/p1' }, onsetDateTime: '2020-01-01' };
    const item = shapeChart([patient, condition], NOW).problems.active[0];
    const { transport } = renderWithContract(<ProblemDialog patientId="p1" item={item} onClose={() => undefined} onSaved={() => undefined} />, {
      'chart.history': ok({ versions: [{ versionId: '4', lastUpdated: null, resource: condition }], source: 'cache' }),
      'journal.save': saved('Condition', 'c1'),
    });
    const dialog = await screen.findByRole('dialog', { name: 'Endre problem' });
    expect(await within(dialog).findByText('Frakoblet: bare versjonene denne PC-en har.')).toBeDefined();
    fireEvent.click(within(dialog).getByRole('checkbox', { name: 'Avsluttet' }));
    fireEvent.change(within(dialog).getByLabelText('Avsluttet dato'), { target: { value: '2026-12-01' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Lagre' }));
    await waitFor(() => expect(callsOf(transport, 'journal.save')).toHaveLength(1));
    expect(savedResource(transport)).toMatchObject({ id: 'c1', meta: { versionId: '4' }, clinicalStatus: { coding: [{ code: 'resolved' }] }, abatementDateTime: '2026-12-01', onsetDateTime: '2020-01-01' });
  });
});
