import { describe, expect, it } from 'vitest';
import type { SettingsView } from '../../../shared/contract';
import { withInForce } from './in-force';

const view = (journalUrl?: string): SettingsView => ({
  values: { language: 'nb', idleLockMinutes: 10, windowBounds: {}, updateChannel: 'stable', logLevel: 'info', contentProtection: true, ...(journalUrl ? { journalUrl } : {}) },
  locked: [],
  notices: [],
});

describe('withInForce', () => {
  it('adds nothing when the session runs on the settings themselves', () => {
    const settings: SettingsView = { ...view(), values: { ...view().values, journalUrl: 'https://journal.kommune.no/', pkcs11Module: 'C:/x.dll' } };
    expect(withInForce(settings, { journalUrl: 'https://journal.kommune.no', card: { kind: 'pkcs11', modulePath: 'C:/x.dll' } })).toBe(settings);
  });

  it('names the journal the start-up chose over the setting, and the demo journal and TEST card', () => {
    expect(withInForce(view(), { journalUrl: 'http://127.0.0.1:4000', demoJournal: true, card: { kind: 'test-card', folder: '/d/card' } }).inForce).toEqual({
      journalUrl: 'http://127.0.0.1:4000',
      demoJournal: true,
      testCard: true,
    });
    expect(withInForce(view('https://journal.kommune.no'), { journalUrl: 'https://test.kommune.no' }).inForce).toEqual({ journalUrl: 'https://test.kommune.no' });
    // AKSON_PKCS11_MODULE before the setting's module.
    const withModule: SettingsView = { ...view(), values: { ...view().values, pkcs11Module: 'C:/Buypass/bp.dll' } };
    expect(withInForce(withModule, { card: { kind: 'pkcs11', modulePath: '/usr/lib/softhsm/libsofthsm2.so' } }).inForce).toEqual({ pkcs11Module: '/usr/lib/softhsm/libsofthsm2.so' });
    expect(withInForce(withModule, { card: { kind: 'pkcs11', modulePath: 'C:/Buypass/bp.dll' } }).inForce).toBeUndefined();
  });
});
