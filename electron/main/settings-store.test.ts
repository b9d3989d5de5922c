import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';

const userData = vi.hoisted(() => ({ dir: '' }));
vi.mock('electron', () => ({
  default: {
    app: { getPath: () => userData.dir, getVersion: () => '1.2.3' },
    ipcMain: { on: () => undefined },
  },
  app: { getPath: () => userData.dir, getVersion: () => '1.2.3' },
  ipcMain: { on: () => undefined },
}));
userData.dir = mkdtempSync(join(tmpdir(), 'akson-electron-store-'));
afterAll(() => rmSync(userData.dir, { recursive: true, force: true }));
const { electronSettingsFile } = await import('./settings-store');

describe('electron-store settings file', () => {
  it("keeps the settings in userData/settings.json through electron-store, with dotted keys taken as they are", () => {
    const source = electronSettingsFile();
    expect(source.path).toBe(join(userData.dir, 'settings.json'));
    const file = source.open();
    file.set('idleLockMinutes', 4);
    file.set('windowBounds', { 'display.1': { x: 0, y: 0, width: 800, height: 600 } });
    expect(JSON.parse(readFileSync(source.path, 'utf8'))).toEqual({ idleLockMinutes: 4, windowBounds: { 'display.1': { x: 0, y: 0, width: 800, height: 600 } } });
    expect(source.open().read()).toMatchObject({ idleLockMinutes: 4 });
  });
});
