import { _electron as electron, expect, test } from '@playwright/test';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * Opens the real window from the built app (dist/, unfused: Playwright needs the inspector flags
 * that the packaged app's fuses turn off) and reads app.info through preload -> IPC -> core.
 */
test('the window opens and app.info answers over IPC', async () => {
  const app = await electron.launch({ args: [repoRoot] });
  try {
    const window = await app.firstWindow();
    await expect(window).toHaveTitle('Akson');
    await expect(window.getByTestId('app-mode')).toHaveAttribute('data-mode', 'electron');
    await expect(window.getByTestId('app-transport')).toHaveAttribute('data-transport', 'ipc');
    const answer = await window.evaluate(() =>
      (window as unknown as { akson: { invoke: (c: string, i: unknown) => Promise<unknown> } }).akson.invoke('app.info', {}),
    );
    expect(answer).toMatchObject({ ok: true, value: { name: 'Akson', mode: 'electron' } });
    const hasNode = await window.evaluate(() => typeof (globalThis as { require?: unknown }).require !== 'undefined');
    expect(hasNode).toBe(false);
  } finally {
    await app.close();
  }
});
