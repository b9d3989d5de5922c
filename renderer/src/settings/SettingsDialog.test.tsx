import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { SettingsView } from '../../../shared/contract';
import { callsOf, ok, renderWithContract } from '../test/render-with-contract';
import { SettingsDialog } from './SettingsDialog';

const view = (over: Partial<SettingsView> = {}): SettingsView => ({
  values: { language: 'nb', idleLockMinutes: 10, windowBounds: {}, updateChannel: 'stable', logLevel: 'info', contentProtection: true, journalUrl: 'https://journal.kommune.no' },
  locked: [],
  notices: [],
  ...over,
});

describe('SettingsDialog', () => {
  it('saves a changed idle-lock time and language through settings.set', async () => {
    const answers: Record<string, unknown> = { 'settings.get': ok(view()), 'settings.set': ok(view({ values: { ...view().values, idleLockMinutes: 5, language: 'en' } })) };
    const { transport } = renderWithContract(<SettingsDialog opened onClose={() => undefined} />, answers);
    const minutes = await screen.findByLabelText('Lås skjermen etter (minutter uten bruk)');
    fireEvent.change(minutes, { target: { value: '5' } });
    fireEvent.click(screen.getByText('English'));
    fireEvent.click(screen.getByTestId('settings-save'));
    await waitFor(() => expect(callsOf(transport, 'settings.set')).toHaveLength(1));
    expect(callsOf(transport, 'settings.set')[0]?.[1]).toEqual({ language: 'en', idleLockMinutes: 5 });
    expect(await screen.findByText('Settings saved.')).toBeTruthy();
  });

  it('shows a key IT locked as locked and does not offer to change it', async () => {
    renderWithContract(<SettingsDialog opened onClose={() => undefined} />, { 'settings.get': ok(view({ locked: ['idleLockMinutes', 'journalUrl'] })) });
    const minutes = await screen.findByLabelText('Lås skjermen etter (minutter uten bruk)');
    expect((minutes as HTMLInputElement).disabled).toBe(true);
    expect(screen.getAllByText(/Låst av IT/).length).toBe(2);
  });

  it('shows the updates row as locked when IT locked only the channel', async () => {
    renderWithContract(<SettingsDialog opened onClose={() => undefined} />, { 'settings.get': ok(view({ locked: ['updateChannel'] })) });
    expect(await screen.findByTestId('setting-locked')).toBeTruthy();
    expect(screen.getByText('Oppdateringer fra').parentElement?.querySelector('[data-testid="setting-locked"]')).toBeTruthy();
  });

  it('says when updates install: at the time IT chose, or at quit', async () => {
    renderWithContract(<SettingsDialog opened onClose={() => undefined} />, { 'settings.get': ok(view({ values: { ...view().values, updateInstallTime: '03:00' } })) });
    expect(await screen.findByText(/installeres kl\. 03:00 når ingen er pålogget eller skjermen er låst, og ingen notater er usignert/)).toBeTruthy();
  });

  it('tells where the exported logs are', async () => {
    renderWithContract(<SettingsDialog opened onClose={() => undefined} />, { 'settings.get': ok(view()), 'log.export': ok({ path: '/home/x/akson-logs.zip', files: 2, bytes: 100 }) });
    fireEvent.click(await screen.findByText('Eksporter logger for brukerstøtte'));
    expect((await screen.findByTestId('logs-exported')).textContent).toContain('/home/x/akson-logs.zip');
  });

  it('shows the journal and card the start-up chose, not "not set" (npm start, the demo journal)', async () => {
    renderWithContract(<SettingsDialog opened onClose={() => undefined} />, {
      'settings.get': ok(view({ values: { ...view().values, journalUrl: undefined }, inForce: { journalUrl: 'http://127.0.0.1:4123', demoJournal: true, testCard: true } })),
    });
    expect((await screen.findByTestId('setting-journal-url')).textContent).toBe('Demojournalen på denne PC-en (http://127.0.0.1:4123), med syntetiske pasienter');
    expect(screen.getByTestId('setting-pkcs11-module').textContent).toBe('TEST-kortet til demoen (programvare, ikke et ekte kort)');
    expect(screen.queryByText('Ikke satt')).toBeNull();
  });

  it('says when a journal named at start-up goes before the setting', async () => {
    renderWithContract(<SettingsDialog opened onClose={() => undefined} />, { 'settings.get': ok(view({ inForce: { journalUrl: 'https://test.kommune.no', pkcs11Module: '/usr/lib/softhsm/libsofthsm2.so' } })) });
    expect((await screen.findByTestId('setting-journal-url')).textContent).toBe('https://test.kommune.no, valgt ved oppstart (går foran innstillingen)');
    expect(screen.getByTestId('setting-pkcs11-module').textContent).toBe('/usr/lib/softhsm/libsofthsm2.so, valgt ved oppstart (går foran innstillingen)');
  });

  it('says so when the settings file was set aside', async () => {
    renderWithContract(<SettingsDialog opened onClose={() => undefined} />, {
      'settings.get': ok(view({ notices: [{ kind: 'user-file-set-aside', reason: 'corrupt', setAsidePath: '/u/settings.set-aside-1.json', at: '2026-12-02T10:00:00.000Z' }] })),
    });
    expect((await screen.findByTestId('settings-set-aside')).textContent).toContain('/u/settings.set-aside-1.json');
  });
});
