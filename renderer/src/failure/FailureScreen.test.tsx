import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { ContractClient } from '../contract/contract-client';
import { createI18n } from '../i18n/i18n';
import { Root } from '../Root';
import { fakeTransport } from '../test/fake-bridge';
import { ok, renderWithContract } from '../test/render-with-contract';
import { AppErrorBoundary } from './AppErrorBoundary';
import { FailureScreen } from './FailureScreen';

describe('FailureScreen', () => {
  it('says what happened, what it means and what to do, in bokmål, and exports the logs for IT', async () => {
    const onRetry = vi.fn();
    renderWithContract(<FailureScreen problems={[{ kind: 'cache-unavailable', code: 'KEY_UNWRAP_FAILED', unsent: { state: 'unknown' } }]} onRetry={onRetry} />, {
      'log.export': ok({ path: 'C:\\Users\\x\\Downloads\\akson-logs.zip', files: 3, bytes: 900 }),
    });
    expect(screen.getByText('Den lokale journalkopien på denne PC-en kunne ikke åpnes (KEY_UNWRAP_FAILED).')).toBeTruthy();
    expect(screen.getByText(/men ikke frakoblet/)).toBeTruthy();
    fireEvent.click(screen.getByText('Prøv igjen'));
    expect(onRetry).toHaveBeenCalledTimes(1);
    fireEvent.click(screen.getByText('Eksporter logger til IT'));
    expect((await screen.findByTestId('logs-exported')).textContent).toContain('akson-logs.zip');
  });

  it('rebuilds the cache from the journal on request, then asks again', async () => {
    const onRetry = vi.fn();
    const { transport } = renderWithContract(<FailureScreen problems={[{ kind: 'cache-unavailable', code: 'WRONG_CARD', unsent: { state: 'unknown' } }]} onRetry={onRetry} />, {
      'cache.rebuild': ok({ setAsidePath: '/c/x.set-aside-1' }),
    });
    fireEvent.click(screen.getByTestId('failure-rebuild'));
    await vi.waitFor(() => expect(onRetry).toHaveBeenCalledTimes(1));
    expect((transport.invoke as unknown as { mock: { calls: unknown[][] } }).mock.calls.map(([call]) => call)).toContain('cache.rebuild');
  });

  it('says it can not know about unsent changes in a cache it could not read, and that a rebuild keeps that cache', () => {
    renderWithContract(<FailureScreen problems={[{ kind: 'cache-unavailable', code: 'WRONG_CARD', unsent: { state: 'unknown' } }]} onRetry={() => undefined} />, {});
    const unsent = screen.getByTestId('failure-unsent');
    expect(unsent.dataset.state).toBe('unknown');
    expect(unsent.textContent).toContain('vet derfor ikke om den har endringer som ikke er sendt');
    expect(unsent.textContent).toContain('men sletter den ikke');
    expect(screen.getByTestId('failure-rebuild')).toBeTruthy();
  });

  it('says where exported unsent changes are and that the next login sends them, and offers no rebuild that would strand them', () => {
    const file = '/data/caches/ab/cd/recovered-outbox-2026-12-03T06-00-00-000Z.bin';
    renderWithContract(
      <FailureScreen problems={[{ kind: 'cache-unavailable', code: 'CORRUPT_UNRECOVERABLE', unsent: { state: 'exported', items: 3, unreadable: 1, file } }]} onRetry={() => undefined} />,
      {},
    );
    const unsent = screen.getByTestId('failure-unsent');
    expect(unsent.dataset.state).toBe('exported');
    expect(unsent.textContent).toContain(`3 usendte endringer ble lest ut av den skadde kopien og lagret kryptert i ${file}.`);
    expect(unsent.textContent).toContain('ved neste innlogging som virker');
    expect(unsent.textContent).toContain('1 usendt endring lå i en skadet del av filen');
    expect(screen.queryByTestId('failure-rebuild')).toBeNull();
    // No button claims an export the screen can not do: the only actions are retry, logs and (where given) continue.
    expect(screen.getAllByRole('button').map((button) => button.textContent)).toEqual(['Prøv igjen', 'Eksporter logger til IT']);
  });

  it('says the demo journal did not start, and that no real data is touched', () => {
    renderWithContract(<FailureScreen problems={[{ kind: 'demo-journal-failed' }]} onRetry={() => undefined} />, {});
    expect(screen.getByText(/demojournalen \(syntetiske pasienter\) kunne ikke starte/)).toBeTruthy();
    expect(screen.getByText(/Ingen ekte journaldata er berørt/)).toBeTruthy();
  });

  it('speaks English in the English locale', () => {
    renderWithContract(<FailureScreen problems={[{ kind: 'card-module-failed', modulePath: '/usr/lib/x.so' }]} onRetry={() => undefined} />, {}, 'en');
    expect(screen.getByText('The card middleware could not be loaded: /usr/lib/x.so')).toBeTruthy();
  });
});

describe('the app and its failures', () => {
  it('shows the failure screen instead of the login when core reports a problem, and lets the clinician continue', async () => {
    const { transport } = fakeTransport({
      'app.info': ok({ name: 'Akson', version: '0.1.0', mode: 'dev-host', buildTime: '2026-11-28T08:00:00.000Z' }),
      'session.status': ok({ state: 'logged-out', card: { label: 'TEST', isTest: true }, journalUrl: 'http://x' }),
      'app.health': ok({ problems: [{ kind: 'settings-set-aside', setAsidePath: '/u/settings.set-aside.json' }] }),
    });
    render(<Root client={new ContractClient(transport)} i18n={createI18n('nb')} />);
    expect(await screen.findByTestId('failure-screen')).toBeTruthy();
    fireEvent.click(screen.getByTestId('failure-continue'));
    expect(await screen.findByLabelText('PIN-kode')).toBeTruthy();
  });

  it('shows the failure screen, not a white page, when a component throws, and logs only type and stack', () => {
    const { transport } = fakeTransport({ 'log.write': ok({ accepted: true }) });
    const Broken = (): never => {
      throw new TypeError('Kari Nordmann');
    };
    const spy = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    renderWithContract(
      <AppErrorBoundary client={new ContractClient(transport)}>
        <Broken />
      </AppErrorBoundary>,
      {},
    );
    spy.mockRestore();
    expect(screen.getByTestId('failure-screen').textContent).toContain('Det oppstod en feil i visningen.');
    const [, input] = (transport.invoke as unknown as { mock: { calls: unknown[][] } }).mock.calls.find(([call]) => call === 'log.write') ?? [];
    expect(input).toMatchObject({ level: 'error', message: 'render failed', error: { name: 'TypeError' } });
  });
});
