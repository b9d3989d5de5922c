import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ContractClient } from '../contract/contract-client';
import { createI18n } from '../i18n/i18n';
import { Root } from '../Root';
import { fakeTransport } from '../test/fake-bridge';

const info = { name: 'Akson', version: '0.1.0', mode: 'dev-host', buildTime: '2026-11-28T08:00:00.000Z' };
const testCard = { label: 'TEST-KORT (demo)', isTest: true };
const journalUrl = 'http://127.0.0.1:8080';

const renderWith = (answers: Record<string, unknown>) => {
  const { transport, push } = fakeTransport({ 'app.info': { ok: true, value: info }, ...answers });
  render(<Root client={new ContractClient(transport)} i18n={createI18n('nb')} />);
  return { transport, push };
};

const pinField = (): HTMLInputElement => screen.getByLabelText('PIN-kode');

describe('card login', () => {
  it('asks for the PIN of the card in the reader and marks the TEST card in the header and the card', async () => {
    renderWith({ 'session.status': { ok: true, value: { state: 'logged-out', card: testCard, journalUrl } } });
    expect(await screen.findByText('Skriv PIN-koden for TEST-KORT (demo).')).toBeDefined();
    expect(screen.getAllByTestId('test-card-badge')).toHaveLength(2);
  });

  it('sends the PIN once, clears the field, and shows who is logged in', async () => {
    const active = { state: 'active', card: testCard, clinician: { name: 'Demo Lege (TEST)', hpr: '565509001' }, journalUrl };
    const { transport } = renderWith({
      'session.status': { ok: true, value: { state: 'logged-out', card: testCard, journalUrl } },
      'session.login': { ok: true, value: { ok: true, status: active } },
    });
    await screen.findByLabelText('PIN-kode');
    fireEvent.change(pinField(), { target: { value: '12ab3456' } });
    expect(pinField().value).toBe('123456');
    fireEvent.click(screen.getByRole('button', { name: 'Logg inn' }));
    // The workstation takes over: the clinician's menu names who is logged in.
    expect(await screen.findByTestId('session-clinician')).toHaveProperty('textContent', 'Demo Lege (TEST)');
    expect(screen.getByRole('button', { name: 'Brukermeny: Innlogget som Demo Lege (TEST) (HPR 565509001)' })).toBeDefined();
    const logins = (transport.invoke as unknown as { mock: { calls: unknown[][] } }).mock.calls.filter(([call]) => call === 'session.login');
    expect(logins).toEqual([['session.login', { pin: '123456' }]]);
  });

  it('says in bokmål that the PIN was wrong and that few tries are left, and empties the field', async () => {
    renderWith({
      'session.status': { ok: true, value: { state: 'logged-out', card: { label: 'akson-1', isTest: false }, journalUrl } },
      'session.login': {
        ok: true,
        value: { ok: false, code: 'PIN_INCORRECT_FEW_TRIES_LEFT', status: { state: 'logged-out', card: { label: 'akson-1', isTest: false }, journalUrl } },
      },
    });
    await screen.findByLabelText('PIN-kode');
    expect(screen.queryByTestId('test-card-badge')).toBeNull();
    fireEvent.change(pinField(), { target: { value: '1111' } });
    fireEvent.click(screen.getByRole('button', { name: 'Logg inn' }));
    expect((await screen.findByRole('alert')).textContent).toContain('få forsøk igjen før kortet sperres');
    expect(pinField().value).toBe('');
  });

  it('says so when the login was made offline, with the card alone', async () => {
    renderWith({
      'session.status': { ok: true, value: { state: 'active', offline: true, card: testCard, clinician: { name: 'Demo Lege (TEST)', hpr: '565509001' }, journalUrl } },
    });
    expect((await screen.findByTestId('session-offline')).textContent).toContain('uten kontakt med journalen');
  });

  it('goes to the locked screen when core says the card left the reader', async () => {
    const { push } = renderWith({
      'session.status': { ok: true, value: { state: 'active', card: testCard, clinician: { name: 'Demo Lege (TEST)', hpr: '565509001' }, journalUrl } },
    });
    await screen.findByTestId('session-clinician');
    act(() => push('session.changed', { state: 'locked', card: testCard, journalUrl }));
    await waitFor(() => expect(screen.getByText('Skjermen er låst. Skriv PIN-koden for å fortsette.')).toBeDefined());
    expect(screen.queryByTestId('session-clinician')).toBeNull();
  });
});

describe('sync status in the header', () => {
  const active = { state: 'active', card: testCard, clinician: { name: 'Demo Lege (TEST)', hpr: '565509001' }, journalUrl };
  const status = {
    online: true,
    syncing: false,
    pending: 0,
    oldestPendingAt: null,
    lastSuccessfulSyncAt: '2026-11-28T08:00:00.000Z',
    conflicts: 0,
    failed: 0,
    lastError: null,
    needsLogin: false,
  };

  it('says online, then offline with the changes waiting and what needs the clinician, as core reports it', async () => {
    const { push } = renderWith({ 'session.status': { ok: true, value: active }, 'sync.status': { ok: true, value: status } });
    const badge = await screen.findByTestId('sync-status');
    expect(badge.textContent).toBe('Tilkoblet');
    act(() => push('sync.status', { ...status, online: false, pending: 3, oldestPendingAt: '2026-11-28T07:55:00.000Z', conflicts: 1 }));
    await waitFor(() => expect(screen.getByTestId('sync-status').getAttribute('data-pending')).toBe('3'));
    // The header says it short; the amber banner under it says what it means.
    expect(screen.getByTestId('sync-status').textContent).toContain('Frakoblet');
    expect(screen.getByTestId('session-offline').textContent).toContain('Endringer lagres på denne maskinen og sendes når nettet er tilbake.');
    expect(screen.getByTestId('sync-status').textContent).toContain('3 endringer venter');
    expect(screen.getByTestId('sync-status').textContent).toContain('1 må sees på');
  });

  it('is not shown before login', async () => {
    renderWith({ 'session.status': { ok: true, value: { state: 'logged-out', card: testCard, journalUrl } }, 'sync.status': { ok: true, value: status } });
    await screen.findByLabelText('PIN-kode');
    expect(screen.queryByTestId('sync-status')).toBeNull();
  });
});
