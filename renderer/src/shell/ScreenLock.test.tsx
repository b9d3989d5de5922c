import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ContractClient } from '../contract/contract-client';
import { createI18n } from '../i18n/i18n';
import { Root } from '../Root';
import { fakeTransport } from '../test/fake-bridge';
import { emptyNoteForm } from '../notes/note-form';
import { callsOf } from '../test/render-with-contract';

const card = { label: 'TEST-KORT (demo)', isTest: true };
const activeAs = (hpr: string, name = 'Demo Lege (TEST)') => ({ state: 'active', card, clinician: { name, hpr }, journalUrl: 'http://127.0.0.1:8080' });
const locked = { state: 'locked', card, journalUrl: 'http://127.0.0.1:8080' };
const sync = { online: true, syncing: false, pending: 0, oldestPendingAt: null, lastSuccessfulSyncAt: null, conflicts: 0, failed: 0, lastError: null, needsLogin: false };
const kari = {
  resourceType: 'Patient',
  id: 'p1',
  identifier: [{ system: 'urn:oid:2.16.578.1.12.4.1.4.1', value: '01868740139' }],
  name: [{ family: 'Nordmann', given: ['Kari'] }],
  gender: 'female',
  birthDate: '1987-06-01',
};

const start = async (answers: Record<string, unknown> = {}) => {
  const { transport, push } = fakeTransport({
    'session.status': { ok: true, value: activeAs('565509001') },
    'sync.status': { ok: true, value: sync },
    'worklist.get': { ok: true, value: { list: 'today', rows: [{ patientId: 'p1', patient: kari, appointment: null }], refreshedAt: null } },
    'chart.open': { ok: true, value: { patientId: 'p1', fromCache: true, unsynced: [], access: { refused: null, blocked: false, grant: null }, resources: [kari] } },
    'session.activity': { ok: true, value: {} },
    'app.health': { ok: true, value: { problems: [] } },
    ...answers,
  });
  render(<Root client={new ContractClient(transport)} i18n={createI18n('nb')} />);
  await screen.findByTestId('clinician-menu', {}, { timeout: 10_000 });
  const list = await screen.findByRole('listbox', { name: 'Timeliste i dag' });
  fireEvent.click(await within(list).findByText('Nordmann, Kari'));
  await screen.findByRole('region', { name: 'Pasient' });
  return { transport, push };
};

describe('screen lock', () => {
  it('takes patient data out of the page when core locks, and brings the same patient back for the same clinician', async () => {
    const { push } = await start();
    act(() => push('session.changed', locked));
    await screen.findByLabelText('PIN-kode');
    expect(document.body.textContent).not.toContain('Nordmann');
    expect(document.body.textContent).not.toContain('40139');
    act(() => push('session.changed', activeAs('565509001')));
    const banner = await screen.findByRole('region', { name: 'Pasient' }, { timeout: 10_000 });
    expect(within(banner).getByTestId('banner-name').textContent).toBe('Kari Nordmann');
  });

  it('opens the note that was being written again, with its kept draft, after the unlock', async () => {
    const draft = { ...emptyNoteForm(), anamnese: 'Hoste i fem dager.' };
    const { push } = await start({
      'draft.get': { ok: true, value: { key: 'note.p1', patientId: 'p1', value: draft, updatedAt: '2026-12-03T07:00:00.000Z' } },
      'draft.save': { ok: true, value: { updatedAt: '2026-12-03T07:00:01.000Z' } },
    });
    fireEvent.click(await within(await screen.findByTestId('draft-notice')).findByRole('button', { name: 'Fortsett utkastet' }));
    expect((await screen.findByLabelText<HTMLTextAreaElement>('Anamnese', {}, { timeout: 10_000 })).value).toBe('Hoste i fem dager.');
    act(() => push('session.changed', locked));
    await screen.findByLabelText('PIN-kode');
    expect(document.body.textContent).not.toContain('Hoste i fem dager.');
    act(() => push('session.changed', activeAs('565509001')));
    expect((await screen.findByLabelText<HTMLTextAreaElement>('Anamnese', {}, { timeout: 10_000 })).value).toBe('Hoste i fem dager.');
  });

  it('Ctrl+L during an autosave in flight saves the last words typed before it locks (a locked cache takes no more)', async () => {
    // The first autosave is slow: the last words wait for it, and the lock waits for them.
    let answerSave: (value: unknown) => void = () => undefined;
    const slowSave = new Promise((resolve) => {
      answerSave = resolve;
    });
    const { transport } = await start({
      'draft.get': { ok: true, value: null },
      'draft.save': slowSave,
      'session.lock': { ok: true, value: locked },
    });
    fireEvent.click(await screen.findByTestId('new-note'));
    const field = await screen.findByLabelText<HTMLTextAreaElement>('Anamnese', {}, { timeout: 10_000 });
    fireEvent.change(field, { target: { value: 'Hoste' } });
    await waitFor(() => expect(callsOf(transport, 'draft.save')).toHaveLength(1));
    fireEvent.change(field, { target: { value: 'Hoste i fem dager, siste ord' } });
    fireEvent.keyDown(field, { key: 'l', ctrlKey: true });
    setTimeout(() => answerSave({ ok: true, value: { updatedAt: '2026-12-03T07:00:01.000Z' } }), 200);
    await waitFor(() => expect(callsOf(transport, 'session.lock')).toHaveLength(1));
    const order = callsOf(transport).map(([name]) => name).filter((name) => name === 'draft.save' || name === 'session.lock');
    expect(order.at(-1)).toBe('session.lock');
    const saves = callsOf(transport, 'draft.save').map(([, input]) => (input as { value: { anamnese: string } }).value.anamnese);
    expect(saves.at(-1)).toBe('Hoste i fem dager, siste ord');
  });

  it('does not open the editor after an unlock when no note was being written', async () => {
    const draft = { ...emptyNoteForm(), anamnese: 'Hoste i fem dager.' };
    const { push } = await start({ 'draft.get': { ok: true, value: { key: 'note.p1', patientId: 'p1', value: draft, updatedAt: '2026-12-03T07:00:00.000Z' } } });
    await screen.findByTestId('draft-notice');
    act(() => push('session.changed', locked));
    await screen.findByLabelText('PIN-kode');
    act(() => push('session.changed', activeAs('565509001')));
    await screen.findByTestId('draft-notice', {}, { timeout: 10_000 });
    expect(screen.queryByLabelText('Anamnese')).toBeNull();
  });

  it('does not open the previous patient for another clinician', async () => {
    const { push } = await start();
    act(() => push('session.changed', locked));
    await screen.findByLabelText('PIN-kode');
    act(() => push('session.changed', activeAs('123456789', 'Annen Lege')));
    await screen.findByTestId('clinician-menu', {}, { timeout: 10_000 });
    expect(screen.queryByRole('region', { name: 'Pasient' })).toBeNull();
  });

  it('reports input to core at most once per 30 seconds', async () => {
    const { transport } = await start();
    const before = callsOf(transport, 'session.activity').length;
    fireEvent.keyDown(window, { key: 'a' });
    fireEvent.pointerDown(window);
    fireEvent.keyDown(window, { key: 'b' });
    await waitFor(() => expect(callsOf(transport, 'session.activity').length).toBeGreaterThan(0));
    expect(callsOf(transport, 'session.activity').length - before).toBeLessThanOrEqual(1);
  });
});
