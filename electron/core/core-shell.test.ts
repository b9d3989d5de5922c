import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from './core';
import { createAppLogger } from './logging/app-logger';
import { confSettingsFile } from './settings/settings-file';
import { SettingsService } from './settings/settings-service';
import { memoryLog } from './test-support/memory-log';

const build = { name: 'Akson', version: '0.1.0', buildTime: '2026-11-28T08:00:00.000Z' };
const folders: string[] = [];
let core: Core | undefined;
afterEach(async () => {
  await core?.dispose();
  core = undefined;
  for (const dir of folders.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
});

const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'akson-core-shell-'));
  folders.push(dir);
  return dir;
};

describe('core: the desktop shell calls', () => {
  it('serves settings with IT locks through the contract and refuses a locked change', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'machine.json'), JSON.stringify({ settings: { journalUrl: 'https://journal.kommune.no', idleLockMinutes: 5 }, locked: ['journalUrl', 'idleLockMinutes'] }));
    const { log } = memoryLog();
    const settings = new SettingsService({ userFile: confSettingsFile(join(dir, 'user')), machinePath: join(dir, 'machine.json'), log });
    core = createCore({ build, mode: 'dev-host', log, settings });
    const events: unknown[] = [];
    core.events.subscribe((event, payload) => event === 'settings.changed' && events.push(payload));

    await expect(core.dispatch('settings.get', {})).resolves.toMatchObject({ ok: true, value: { values: { idleLockMinutes: 5 }, locked: ['journalUrl', 'idleLockMinutes'] } });
    await expect(core.dispatch('settings.set', { idleLockMinutes: 30 })).resolves.toMatchObject({ ok: false, error: { code: 'REFUSED' } });
    await expect(core.dispatch('settings.set', { journalUrl: 'https://evil.example' })).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    await expect(core.dispatch('settings.set', { language: 'en' })).resolves.toMatchObject({ ok: true, value: { values: { language: 'en' } } });
    expect(events).toHaveLength(1);
  });

  it('writes renderer lines into the log file and exports the redacted files as a zip', async () => {
    const dir = tempDir();
    const logDir = join(dir, 'logs');
    const { log, close } = await createAppLogger({ name: 'test', version: '0.1.0', level: 'info', logDir });
    core = createCore({ build, mode: 'dev-host', log, logs: { dir: logDir, exportDir: join(dir, 'exports') } });
    await expect(core.dispatch('log.write', { level: 'warn', message: 'chart render failed', context: { count: 2 } })).resolves.toEqual({ ok: true, value: { accepted: true } });
    await expect(core.dispatch('log.write', { level: 'info', message: 'Opened Kari Nordmann 15828099915' })).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    await core.dispatch('app.info', {});
    await new Promise<void>((resolve) => log.flush(() => resolve()));

    const exported = await core.dispatch('log.export', { days: 1 });
    expect(exported).toMatchObject({ ok: true, value: { files: 1 } });
    const path = (exported as { value: { path: string } }).value.path;
    expect(readdirSync(join(dir, 'exports'))).toHaveLength(1);
    await expect(core.dispatch('log.export', { days: 1 })).resolves.toMatchObject({ ok: false, error: { code: 'REFUSED' } });
    const entries = unzipSync(readFileSync(path));
    const text = Object.entries(entries)
      .filter(([name]) => name.startsWith('logs/'))
      .map(([, bytes]) => strFromU8(bytes))
      .join('');
    expect(text).toContain('renderer: chart render failed');
    expect(text).not.toContain('15828099915');
    expect(text).not.toContain('Kari');
    await close();
  });

  it('refuses log.export when the workstation writes no log files', async () => {
    core = createCore({ build, mode: 'dev-host', log: memoryLog().log });
    await expect(core.dispatch('log.export', {})).resolves.toMatchObject({ ok: false, error: { code: 'REFUSED' } });
  });

  it('reports a missing journal as a health problem', async () => {
    core = createCore({ build, mode: 'dev-host', log: memoryLog().log });
    await expect(core.dispatch('app.health', {})).resolves.toEqual({ ok: true, value: { problems: [{ kind: 'journal-not-configured' }] } });
  });
});
