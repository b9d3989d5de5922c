import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { resolveInputSchema } from '../../../shared/contract';
import { callsOf, ok, renderWithContract } from '../test/render-with-contract';
import { SyncCenterProvider, useSyncCenter } from './sync-center';
import { SyncStatusBadge } from './SyncStatusBadge';

const status = { online: true, syncing: false, pending: 0, oldestPendingAt: null, lastSuccessfulSyncAt: null, conflicts: 1, failed: 0, lastError: null, needsLogin: false };
const theirs = {
  resourceType: 'AllergyIntolerance',
  id: 'a1',
  meta: { versionId: '4', lastUpdated: '2026-12-02T08:00:00Z' },
  criticality: 'high',
  code: { text: 'Penicillin' },
  note: [{ text: 'Lagt til av legevakten' }],
};
const mine = { ...theirs, meta: { versionId: '3' }, criticality: 'low', code: { text: '<img src=x onerror="window.__pwned=1">Penicillin' } };
const conflict = { id: 7, resourceType: 'AllergyIntolerance', resourceId: 'a1', mine, theirs, createdAt: '2026-12-02T09:00:00.000Z' };

/** What a command palette does: asks the sync centre to open a list. */
function PaletteStub() {
  const { openConflicts, openFailed } = useSyncCenter();
  return (
    <>
      <button type="button" onClick={openConflicts}>
        palette: conflicts
      </button>
      <button type="button" onClick={openFailed}>
        palette: failed
      </button>
    </>
  );
}

const renderCenter = (answers: Record<string, unknown> = {}) => {
  const table: Record<string, unknown> = {
    'sync.status': ok(status),
    'sync.conflicts': ok([conflict]),
    'sync.failed': ok([]),
    'sync.resolve': ok({ ...status, conflicts: 0 }),
    ...answers,
  };
  const rendered = renderWithContract(
    <SyncCenterProvider>
      <SyncStatusBadge />
      <PaletteStub />
    </SyncCenterProvider>,
    table,
  );
  return { ...rendered, table };
};

const openConflict = async () => {
  const list = await screen.findByRole('table', { name: 'Konflikter' });
  fireEvent.click(within(list).getByRole('button', { name: 'Åpne konflikten i allergi/intoleranse (a1)' }));
  return screen.findByRole('dialog', { name: 'Konflikt: allergi/intoleranse (a1): Penicillin' });
};

describe('conflicts', () => {
  it('opens from the header badge when something needs the clinician, as a titled drawer with a table of conflicts', async () => {
    renderCenter();
    fireEvent.click(await screen.findByRole('button', { name: '1 må sees på: Åpne konflikter og avviste endringer' }));
    expect(await screen.findByRole('dialog', { name: 'Synkronisering' })).toBeDefined();
    const list = await screen.findByRole('table', { name: 'Konflikter' });
    expect(within(list).getAllByRole('columnheader').map((cell) => cell.textContent)).toEqual(['Opplysning', 'Tidspunkt', 'Forskjeller', 'Handlinger']);
    expect(within(list).getByText('allergi/intoleranse (a1)')).toBeDefined();
    expect(within(list).getByText('2 felt')).toBeDefined();
  });

  it('opens on the list a command palette asks for, through useSyncCenter()', async () => {
    renderCenter();
    fireEvent.click(screen.getByRole('button', { name: 'palette: failed' }));
    expect(await screen.findByText('Ingen avviste endringer.')).toBeDefined();
    expect(screen.getByRole('tab', { name: 'Avviste endringer (0)' }).getAttribute('aria-selected')).toBe('true');
    fireEvent.click(screen.getByRole('tab', { name: 'Konflikter (1)' }));
    expect(await screen.findByRole('table', { name: 'Konflikter' })).toBeDefined();
  });

  it('shows mine and theirs side by side, the differing fields marked, markup as text, and meta left out', async () => {
    renderCenter();
    fireEvent.click(screen.getByRole('button', { name: 'palette: conflicts' }));
    const dialog = await openConflict();
    const diff = within(dialog).getByTestId('conflict-diff');
    expect(within(diff).getAllByRole('columnheader').map((cell) => cell.textContent)).toEqual(['Felt', 'Min versjon', 'Deres versjon (journalen)']);
    const changed = diff.querySelectorAll('tr[data-changed="true"]');
    expect([...changed].map((row) => row.querySelector('th')?.textContent)).toEqual(['Kritikalitetcriticalityendret', 'Substanscode.textendret']);
    expect(within(diff).getByText('<img src=x onerror="window.__pwned=1">Penicillin')).toBeDefined();
    expect(document.querySelector('img')).toBeNull();
    expect(within(diff).queryByText(/versionId|meta/)).toBeNull();
    // All fields, the unchanged ones too, on request.
    fireEvent.click(within(dialog).getByRole('checkbox', { name: 'Vis bare forskjeller' }));
    expect(within(diff).getByText('note[0].text')).toBeDefined();
  });

  it('keeps mine: sends keep mine for this conflict, closes the dialog and reads the list again', async () => {
    const { transport, table } = renderCenter();
    fireEvent.click(screen.getByRole('button', { name: 'palette: conflicts' }));
    const dialog = await openConflict();
    table['sync.conflicts'] = ok([]);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Behold min' }));
    expect(await screen.findByText('Ingen konflikter.')).toBeDefined();
    await waitFor(() => expect(screen.queryByRole('dialog', { name: /Konflikt:/ })).toBeNull());
    expect(callsOf(transport, 'sync.resolve')).toEqual([['sync.resolve', { conflictId: 7, keep: 'mine' }]]);
    expect(callsOf(transport, 'sync.conflicts').length).toBeGreaterThanOrEqual(2);
  });

  it('uses theirs: sends keep theirs', async () => {
    const { transport } = renderCenter();
    fireEvent.click(screen.getByRole('button', { name: 'palette: conflicts' }));
    const dialog = await openConflict();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Bruk deres' }));
    await waitFor(() => expect(callsOf(transport, 'sync.resolve')).toEqual([['sync.resolve', { conflictId: 7, keep: 'theirs' }]]));
  });

  it('merges: starts from theirs with my fields, refuses invalid JSON and a changed id with a message, then sends the edited merge', async () => {
    const { transport } = renderCenter();
    fireEvent.click(screen.getByRole('button', { name: 'palette: conflicts' }));
    const dialog = await openConflict();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Slå sammen' }));
    const editor = within(dialog).getByRole<HTMLTextAreaElement>('textbox', { name: 'Sammenslått versjon (FHIR JSON)' });
    const start = JSON.parse(editor.value) as Record<string, unknown>;
    expect(start).toEqual({ ...theirs, criticality: 'low', code: mine.code });

    fireEvent.change(editor, { target: { value: '{ "resourceType": "AllergyIntolerance", ' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Lagre sammenslåingen' }));
    expect(within(dialog).getByText(/Teksten er ikke gyldig JSON/)).toBeDefined();
    expect(editor.getAttribute('aria-invalid')).toBe('true');

    fireEvent.change(editor, { target: { value: JSON.stringify({ ...start, id: 'a2' }) } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Lagre sammenslåingen' }));
    expect(within(dialog).getByText('id må være «a1», som i konflikten. Ingenting er sendt.')).toBeDefined();
    expect(callsOf(transport, 'sync.resolve')).toEqual([]);

    const edited = { ...start, code: { text: 'Penicillin' }, criticality: 'high' };
    fireEvent.change(editor, { target: { value: JSON.stringify(edited, null, 2) } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Lagre sammenslåingen' }));
    await waitFor(() => expect(callsOf(transport, 'sync.resolve')).toHaveLength(1));
    const [, input] = callsOf(transport, 'sync.resolve')[0]!;
    expect(input).toEqual({ conflictId: 7, keep: 'merged', merged: edited });
    // What was sent is what core's dispatcher accepts.
    expect(resolveInputSchema.safeParse(input).success).toBe(true);
  });

  it('says in bokmål what went wrong when the decision could not be saved, and keeps the dialog open', async () => {
    renderCenter({ 'sync.resolve': { ok: false, error: { code: 'REFUSED', message: 'their version has no versionId to build on' } } });
    fireEvent.click(screen.getByRole('button', { name: 'palette: conflicts' }));
    const dialog = await openConflict();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Behold min' }));
    expect((await within(dialog).findByRole('alert')).textContent).toBe('Dette kan ikke gjøres nå. Ingen data ble endret.');
    expect(within(dialog).queryByText(/versionId/)).toBeNull();
  });

  it('reads the list again when core reports a new sync status', async () => {
    const { table, push } = renderCenter({ 'sync.conflicts': ok([]) });
    fireEvent.click(screen.getByRole('button', { name: 'palette: conflicts' }));
    expect(await screen.findByText('Ingen konflikter.')).toBeDefined();
    table['sync.conflicts'] = ok([conflict]);
    act(() => push('sync.status', { ...status, conflicts: 1 }));
    expect(await screen.findByRole('table', { name: 'Konflikter' })).toBeDefined();
  });

  it('is keyboard operable: Merge puts focus in the editor, Back returns it, Escape closes the dialog and leaves the list open', async () => {
    renderCenter();
    fireEvent.click(screen.getByRole('button', { name: 'palette: conflicts' }));
    const dialog = await openConflict();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Slå sammen' }));
    await waitFor(() => expect(document.activeElement).toBe(within(dialog).getByRole('textbox', { name: 'Sammenslått versjon (FHIR JSON)' })));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Tilbake til sammenligningen' }));
    await waitFor(() => expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Slå sammen' })));
    fireEvent.keyDown(document.activeElement!, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: /Konflikt:/ })).toBeNull());
    // Past the drawer's own closing transition (200 ms): it is still there.
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(screen.getByRole('dialog', { name: 'Synkronisering' })).toBeDefined();
    fireEvent.keyDown(document.body, { key: 'Escape' });
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Synkronisering' })).toBeNull());
  });
});
