import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { repoRoot } from '../fixtures/dev-host';

/** Opens the launch link (it works once) unless `launchUrl` is null, logs in with the demo's TEST card and waits for the workstation. */
export const logIn = async (page: Page, launchUrl: string | null): Promise<void> => {
  if (launchUrl !== null) {
    await page.goto(launchUrl);
  }
  await page.getByLabel('PIN-kode').fill('123456');
  await page.getByRole('button', { name: 'Logg inn' }).click();
  await expect(page.getByTestId('session-clinician')).toBeVisible();
};

/** Ctrl+K until the search field has the focus: a fresh workstation binds its keys once its chunk has loaded. */
export const focusSearch = async (page: Page): Promise<void> => {
  await expect(async () => {
    await page.keyboard.press('Control+k');
    await expect(page.getByRole('textbox', { name: 'Søk pasient' }).or(page.getByRole('combobox', { name: 'Søk pasient' })).first()).toBeFocused({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
};

/**
 * The national id on row `index` of the GP list, once that row shows one. The list fills as the
 * cache syncs (and a virtual list renders its rows as it measures), so the first row being there
 * says nothing of the sixth: reading it at once gave an empty id under load.
 */
export const gpListNationalId = async (page: Page, index: number): Promise<string> => {
  await page.getByRole('tab', { name: 'Fastlegeliste' }).click();
  const row = page.getByRole('listbox', { name: 'Fastlegeliste' }).getByRole('option').nth(index);
  await expect(row).toContainText(/\d{6} \d{5}/, { timeout: 30_000 });
  const nationalId = /\d{6} \d{5}/.exec((await row.textContent()) ?? '')?.[0] ?? '';
  expect(nationalId, `a national id on row ${index} of the GP list`).not.toBe('');
  return nationalId;
};

/**
 * Where the journeys write their screenshots: docs/screenshots for `npm run screenshots`, a
 * folder under test-results otherwise, so `npm test` leaves the tree clean.
 */
export const screenshotDir = process.env.AKSON_SCREENSHOTS_DIR ?? join(repoRoot, 'test-results', 'screenshots');

export const VIEWPORTS = [
  { width: 1366, height: 768 },
  { width: 1920, height: 1080 },
] as const;

/** The screen at both sizes a clinic has (a laptop, a large monitor), then back to the first. */
export const screenshots = async (page: Page, name: string): Promise<void> => {
  mkdirSync(screenshotDir, { recursive: true });
  for (const viewport of VIEWPORTS) {
    await page.setViewportSize(viewport);
    // Layout settles (virtualised lists measure themselves) before the picture.
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(screenshotDir, `${name}-${viewport.width}x${viewport.height}.png`) });
  }
  await page.setViewportSize(VIEWPORTS[0]);
};

/** axe on what is on screen now: no serious or critical violation. */
export const expectAccessible = async (page: Page, screen: string): Promise<void> => {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help} (${violation.nodes.slice(0, 3).map((node) => `${node.target.join(' ')}: ${node.any[0]?.message ?? node.failureSummary ?? ''}`).join('; ')})`);
  expect(serious, `axe on ${screen}`).toEqual([]);
};
