import { act, fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { ContractClient } from '../contract/contract-client';
import { createI18n } from '../i18n/i18n';
import { Root } from '../Root';
import { fakeTransport } from '../test/fake-bridge';

const info = { name: 'Akson', version: '0.1.0', mode: 'dev-host', buildTime: '2026-11-28T08:00:00.000Z' };

const renderApp = (answers: Record<string, unknown>, kind: 'ipc' | 'websocket' = 'websocket') => {
  const { transport, push } = fakeTransport({ 'session.status': { ok: true, value: { state: 'no-card' } }, ...answers }, kind);
  render(<Root client={new ContractClient(transport)} i18n={createI18n('nb')} />);
  // Build information and the core clock live in "Om Akson", out of the clinician's way.
  fireEvent.click(screen.getByRole('button', { name: 'Om Akson' }));
  return { push };
};

describe('the About dialog of the first screen', () => {
  it('shows what app.info answers, in bokmål', async () => {
    renderApp({ 'app.info': { ok: true, value: info } });
    expect(await screen.findByText('0.1.0')).toBeDefined();
    expect(screen.getByRole('heading', { name: 'Om arbeidsstasjonen' })).toBeDefined();
    expect(screen.getByText('Utviklingsvert i nettleser')).toBeDefined();
    expect(screen.getByText('WebSocket på 127.0.0.1')).toBeDefined();
    expect(screen.getByTestId('app-build-time').textContent).toMatch(/2026/);
  });

  it('names the IPC transport inside Electron', async () => {
    renderApp({ 'app.info': { ok: true, value: { ...info, mode: 'electron' } } }, 'ipc');
    expect(await screen.findByText('Skrivebordsprogram (Electron)')).toBeDefined();
    expect(screen.getByText('IPC i Electron')).toBeDefined();
  });

  it('shows each clock event as it arrives', async () => {
    const { push } = renderApp({ 'app.info': { ok: true, value: info } });
    expect(await screen.findByText('Venter på første hendelse …')).toBeDefined();
    act(() => push('app.clock', { now: '2026-11-28T08:00:00.000Z', seq: 5 }));
    expect(screen.getByTestId('clock-seq').textContent).toBe('5');
    act(() => push('app.clock', { now: '2026-11-28T08:00:01.000Z', seq: 6 }));
    expect(screen.getByTestId('clock-seq').textContent).toBe('6');
  });

  it('switches to English', async () => {
    renderApp({ 'app.info': { ok: true, value: info } });
    await screen.findByText('0.1.0');
    act(() => {
      fireEvent.click(screen.getByText('English'));
    });
    expect(await screen.findByRole('heading', { name: 'About this workstation' })).toBeDefined();
    expect(screen.getByText('Dev host in a browser')).toBeDefined();
    expect(window.localStorage.getItem('akson.language')).toBe('en');
  });

  it('says in bokmål what a refused call means, without the technical message', async () => {
    renderApp({ 'app.info': { ok: false, error: { code: 'FORBIDDEN', message: 'sender frame refused' } } });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Handlingen ble avvist av sikkerhetshensyn');
    expect(alert.textContent).not.toContain('sender frame');
  });

  it('says the connection was lost when the transport fails', async () => {
    renderApp({});
    expect((await screen.findByRole('alert')).textContent).toContain('Mistet forbindelsen til kjernen');
  });
});
