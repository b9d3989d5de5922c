import { _electron as electron, expect, test } from '@playwright/test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Opens the real window from the built app (dist/, unfused: Playwright needs the inspector flags
 * that the packaged app's fuses turn off) and reads app.info through preload -> IPC -> core.
 */
test('the window opens, app.info answers over IPC, and with no journal URL the embedded demo journal runs from the user data folder', async () => {
  // A fresh runner has no settings: main starts the demo journal (filled on this first start) before the window.
  test.setTimeout(240_000);
  const env = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[0] !== 'AKSON_JOURNAL_URL'));
  // A profile of its own (Electron takes Chromium's --user-data-dir as userData), so a developer's
  // settings naming a journal do not turn the demo off, and the 300-patient demo is not left there.
  const profile = mkdtempSync(join(tmpdir(), 'akson-smoke-'));
  const app = await electron.launch({ args: [repoRoot, `--user-data-dir=${profile}`], env, timeout: 200_000 });
  try {
    const window = await app.firstWindow({ timeout: 200_000 });
    await expect(window).toHaveTitle('Akson');
    await expect(window.getByTestId('app-mode')).toHaveAttribute('data-mode', 'electron');
    await expect(window.getByTestId('app-transport')).toHaveAttribute('data-transport', 'ipc');
    const answer = await window.evaluate(() =>
      (window as unknown as { akson: { invoke: (c: string, i: unknown) => Promise<unknown> } }).akson.invoke('app.info', {}),
    );
    expect(answer).toMatchObject({ ok: true, value: { name: 'Akson', mode: 'electron' } });
    const hasNode = await window.evaluate(() => typeof (globalThis as { require?: unknown }).require !== 'undefined');
    expect(hasNode).toBe(false);
    const status = await window.evaluate(() =>
      (window as unknown as { akson: { invoke: (c: string, i: unknown) => Promise<unknown> } }).akson.invoke('session.status', {}),
    );
    expect(status).toMatchObject({ ok: true, value: { demoJournal: true, journalUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) as unknown } });
    const userData = await app.evaluate(({ app: electronApp }) => electronApp.getPath('userData'));
    expect(existsSync(join(userData, 'demo-journal', 'journal'))).toBe(true);
  } finally {
    await app.close();
    rmSync(profile, { recursive: true, force: true, maxRetries: 5, retryDelay: 500 });
  }
});
