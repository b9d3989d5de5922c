import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ContractError } from '../../../shared/contract';
import { memoryLog } from '../test-support/memory-log';
import { machineSettingsPath } from './machine-settings';
import { confSettingsFile } from './settings-file';
import { SettingsService } from './settings-service';

const folders: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'akson-settings-'));
  folders.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of folders.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
});

const now = () => new Date('2026-12-02T10:00:00.000Z');

const serviceIn = (dir: string, machine?: object | string) => {
  const { log, lines } = memoryLog();
  let machinePath: string | undefined;
  if (machine !== undefined) {
    machinePath = join(dir, 'machine.json');
    writeFileSync(machinePath, typeof machine === 'string' ? machine : JSON.stringify(machine));
  }
  const service = new SettingsService({ userFile: confSettingsFile(join(dir, 'user')), ...(machinePath ? { machinePath } : {}), log, now });
  return { service, lines };
};

describe('settings', () => {
  it('starts from the schema defaults with no files at all', () => {
    const { service } = serviceIn(tempDir());
    expect(service.view()).toEqual({
      values: { language: 'nb', idleLockMinutes: 10, windowBounds: {}, updateChannel: 'stable', logLevel: 'info', contentProtection: true },
      locked: [],
      notices: [],
    });
  });

  it("keeps the clinician's choice across a restart, and keeps keys it does not know", () => {
    const dir = tempDir();
    mkUser(dir, { futureKey: { a: 1 } });
    serviceIn(dir).service.set({ language: 'en', idleLockMinutes: 5 });
    const again = serviceIn(dir).service;
    expect(again.values()).toMatchObject({ language: 'en', idleLockMinutes: 5 });
    expect(JSON.parse(readFileSync(join(dir, 'user', 'settings.json'), 'utf8'))).toMatchObject({ futureKey: { a: 1 } });
  });

  it("takes IT's update install time from the machine file, and no clinician can set it", () => {
    const { service } = serviceIn(tempDir(), { settings: { updateInstallTime: '03:00' }, locked: ['updateInstallTime'] });
    expect(service.view()).toMatchObject({ values: { updateInstallTime: '03:00' }, locked: ['updateInstallTime'] });
    expect(() => service.set({ updateInstallTime: '12:00' } as never)).toThrow(ContractError);
    expect(service.values().updateInstallTime).toBe('03:00');
    // Not a clinician's setting even where IT has not locked it.
    const unlocked = serviceIn(tempDir(), { settings: { updateInstallTime: '03:00' } }).service;
    expect(() => unlocked.set({ updateInstallTime: '12:00' } as never)).toThrow(/not a clinician setting/);
    expect(unlocked.values().updateInstallTime).toBe('03:00');
  });

  it('takes the machine presets as defaults, lets the user override an unlocked one, and refuses a locked one', () => {
    const dir = tempDir();
    const { service } = serviceIn(dir, {
      settings: { journalUrl: 'https://journal.kommune.no', idleLockMinutes: 5, language: 'en' },
      locked: ['journalUrl', 'idleLockMinutes'],
    });
    expect(service.view()).toMatchObject({ values: { journalUrl: 'https://journal.kommune.no', idleLockMinutes: 5, language: 'en' }, locked: ['journalUrl', 'idleLockMinutes'] });
    expect(service.set({ language: 'nb' }).values.language).toBe('nb');
    expect(() => service.set({ idleLockMinutes: 30 })).toThrow(ContractError);
    expect(service.values().idleLockMinutes).toBe(5);
  });

  it('keeps a locked key at the machine value even when the user file says otherwise', () => {
    const dir = tempDir();
    mkUser(dir, { idleLockMinutes: 60 });
    const { service } = serviceIn(dir, { settings: { idleLockMinutes: 3 }, locked: ['idleLockMinutes'] });
    expect(service.values().idleLockMinutes).toBe(3);
  });

  it.each([
    ['corrupt', '{"language": "en", '],
    ['invalid', JSON.stringify({ language: 'klingon', idleLockMinutes: 5 })],
  ] as const)('sets a %s user file aside with a timestamp, reports it, and does not use any of it', (reason, content) => {
    const dir = tempDir();
    mkUser(dir, content);
    const { service, lines } = serviceIn(dir);
    const setAsidePath = join(dir, 'user', 'settings.set-aside-20261202T100000Z.json');
    expect(service.view().notices).toEqual([{ kind: 'user-file-set-aside', reason, setAsidePath, at: '2026-12-02T10:00:00.000Z' }]);
    expect(readFileSync(setAsidePath, 'utf8')).toBe(content);
    expect(service.values().idleLockMinutes).toBe(10);
    expect(service.values().language).toBe('nb');
    expect(readdirSync(join(dir, 'user'))).toEqual(['settings.set-aside-20261202T100000Z.json']);
    expect(lines().join('\n')).toContain('user settings file set aside');
  });

  it('locks every key at its default when the machine file can not be read', () => {
    const dir = tempDir();
    mkUser(dir, { language: 'en' });
    const { service } = serviceIn(dir, '{ not json');
    const view = service.view();
    expect(view.locked).toContain('idleLockMinutes');
    expect(view.values.language).toBe('nb');
    expect(view.notices).toEqual([{ kind: 'machine-file-invalid', path: join(dir, 'machine.json') }]);
    // Unknown, not unset: main must not take the missing journal URL as "run the demo".
    expect(service.machineFile()).toBe('invalid');
    expect(serviceIn(tempDir()).service.machineFile()).toBe('absent');
    expect(serviceIn(tempDir(), { settings: { language: 'en' } }).service.machineFile()).toBe('ok');
  });

  it('tells listeners when the clinician changed something', () => {
    const { service } = serviceIn(tempDir());
    const seen: number[] = [];
    service.onChange((values) => seen.push(values.idleLockMinutes));
    service.set({ idleLockMinutes: 2 });
    expect(seen).toEqual([2]);
  });

  it('finds the machine file in ProgramData on Windows, /etc/akson elsewhere, or where the environment says', () => {
    expect(machineSettingsPath({ ProgramData: 'D:\\ProgramData' }, 'win32')).toBe(join('D:\\ProgramData', 'Akson', 'settings.json'));
    expect(machineSettingsPath({}, 'linux')).toBe('/etc/akson/settings.json');
    expect(machineSettingsPath({ AKSON_MACHINE_SETTINGS: '/tmp/x.json' }, 'linux')).toBe('/tmp/x.json');
  });
});

function mkUser(dir: string, content: object | string): void {
  const user = join(dir, 'user');
  mkdirSync(user, { recursive: true });
  writeFileSync(join(user, 'settings.json'), typeof content === 'string' ? content : JSON.stringify(content));
}
