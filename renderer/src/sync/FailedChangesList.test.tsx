import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { callsOf, ok, renderWithContract } from '../test/render-with-contract';
import { FailedChangesList } from './FailedChangesList';

const status = { online: true, syncing: false, pending: 0, oldestPendingAt: null, lastSuccessfulSyncAt: null, conflicts: 0, failed: 2, lastError: null, needsLogin: false };
const refused = {
  seq: 12,
  resourceType: 'Condition',
  resourceId: 'c9',
  patientId: 'p1',
  reason: '<b onmouseover="window.__pwned=1">Ukjent ICPC-2-kode R999</b>',
  savedAt: new Date(2026, 11, 2, 8, 30).toISOString(),
};
const silent = { seq: 13, resourceType: 'Basic', resourceId: 'b1', patientId: null, reason: null, savedAt: new Date(2026, 11, 1, 15, 0).toISOString() };

const renderList = (answers: Record<string, unknown> = {}) => {
  const table: Record<string, unknown> = {
    'sync.failed': ok([refused, silent]),
    'sync.retry': ok(status),
    'sync.discard': ok(status),
    ...answers,
  };
  return { ...renderWithContract(<FailedChangesList />, table), table };
};

describe('refused changes', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date(2026, 11, 2, 14, 0));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lists each refused change in a table: what, when it was saved, and the journal\'s reason as text', async () => {
    renderList();
    const list = await screen.findByRole('table', { name: 'Avviste endringer' });
    expect(within(list).getAllByRole('columnheader').map((cell) => cell.textContent)).toEqual(['Opplysning', 'Lagret', 'Journalens begrunnelse', 'Handlinger']);
    const [first, second] = within(list).getAllByRole('row').slice(1);
    expect(within(first!).getByText('problem/diagnose (c9)')).toBeDefined();
    expect(within(first!).getByText('08:30')).toBeDefined();
    expect(within(first!).getByText('<b onmouseover="window.__pwned=1">Ukjent ICPC-2-kode R999</b>')).toBeDefined();
    expect(list.querySelector('b')).toBeNull();
    // A type the workstation has no word for keeps its FHIR name; a missing reason is said so.
    expect(within(second!).getByText('Basic (b1)')).toBeDefined();
    expect(within(second!).getByText('01.12.2026, 15:00')).toBeDefined();
    expect(within(second!).getByText('Journalen oppga ingen grunn.')).toBeDefined();
  });

  it('sends a change again with Send igjen, and reads the list again', async () => {
    const { transport, table } = renderList();
    await screen.findByRole('table', { name: 'Avviste endringer' });
    table['sync.failed'] = ok([silent]);
    fireEvent.click(screen.getByRole('button', { name: 'Send endringen i problem/diagnose (c9) igjen' }));
    await waitFor(() => expect(screen.queryByText('problem/diagnose (c9)')).toBeNull());
    expect(callsOf(transport, 'sync.retry')).toEqual([['sync.retry', { seq: 12 }]]);
    expect(callsOf(transport, 'sync.discard')).toEqual([]);
  });

  it('asks before discarding, says what is lost, and discards nothing on Avbryt', async () => {
    const { transport } = renderList();
    await screen.findByRole('table', { name: 'Avviste endringer' });
    fireEvent.click(screen.getByRole('button', { name: 'Forkast endringen i problem/diagnose (c9)' }));
    const confirm = await screen.findByRole('dialog', { name: 'Forkaste endringen?' });
    expect(confirm.textContent).toContain(
      'Endringen i problem/diagnose (c9), lagret 08:30, slettes fra denne PC-en og sendes aldri til journalen. Journalens versjon hentes inn igjen. Dette kan ikke angres.',
    );
    expect(confirm.textContent).toContain('Ukjent ICPC-2-kode R999');
    // Cancel is where the focus lands: Enter on a reflex does not throw the change away.
    await waitFor(() => expect(document.activeElement?.textContent).toBe('Avbryt'));
    fireEvent.click(within(confirm).getByRole('button', { name: 'Avbryt' }));
    await waitFor(() => expect(screen.queryByRole('dialog', { name: 'Forkaste endringen?' })).toBeNull());
    expect(callsOf(transport, 'sync.discard')).toEqual([]);
  });

  it('discards the change once confirmed', async () => {
    const { transport, table } = renderList();
    await screen.findByRole('table', { name: 'Avviste endringer' });
    fireEvent.click(screen.getByRole('button', { name: 'Forkast endringen i problem/diagnose (c9)' }));
    const confirm = await screen.findByRole('dialog', { name: 'Forkaste endringen?' });
    table['sync.failed'] = ok([silent]);
    fireEvent.click(within(confirm).getByRole('button', { name: 'Forkast endringen' }));
    await waitFor(() => expect(callsOf(transport, 'sync.discard')).toEqual([['sync.discard', { seq: 12 }]]));
    await waitFor(() => expect(screen.queryByText('problem/diagnose (c9)')).toBeNull());
  });

  it('says in bokmål when core could not do it, and keeps the change listed', async () => {
    renderList({ 'sync.retry': { ok: false, error: { code: 'INTERNAL', message: 'change 12 is not waiting as refused' } } });
    await screen.findByRole('table', { name: 'Avviste endringer' });
    fireEvent.click(screen.getByRole('button', { name: 'Send endringen i problem/diagnose (c9) igjen' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Det oppstod en feil i arbeidsstasjonen. Ingen data ble endret.');
    expect(screen.getByText('problem/diagnose (c9)')).toBeDefined();
  });

  it('says so when nothing was refused', async () => {
    renderList({ 'sync.failed': ok([]) });
    expect(await screen.findByText('Ingen avviste endringer.')).toBeDefined();
  });
});
