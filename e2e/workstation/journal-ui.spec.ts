import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../fixtures/dev-host';
import { expectAccessible, logIn, screenshots, VIEWPORTS } from '../support/workstation';

const NATIONAL_ID = /^\d{6} \d{5}$/;

/** The GP list after the prefetch has brought its patients into the cache. */
const gpList = async (page: Page): Promise<Locator> => {
  await page.getByRole('tab', { name: 'Fastlegeliste' }).click();
  const list = page.getByRole('listbox', { name: 'Fastlegeliste' });
  await expect(list.getByRole('option').first()).toContainText(/\d{6} \d{5}/, { timeout: 30_000 });
  return list;
};

/** The first patient on the GP list whose chart has lab results and a hospital letter, opened. */
const openRichChart = async (page: Page): Promise<{ name: string; nationalId: string }> => {
  const list = await gpList(page);
  const count = await list.getByRole('option').count();
  for (let i = 0; i < count; i += 1) {
    await list.getByRole('option').nth(i).click();
    const banner = page.getByRole('region', { name: 'Pasient' });
    await expect(banner).toBeVisible();
    await expect(page.getByTestId('chart')).toBeVisible();
    const labs = await page.getByTestId('lab-series').count();
    const hospital = await page.locator('[data-testid="timeline-item"][data-source="hospital"]').count();
    if (labs > 0 && hospital > 0) {
      return { name: (await page.getByTestId('banner-name').textContent()) ?? '', nationalId: (await page.getByTestId('banner-national-id').textContent()) ?? '' };
    }
  }
  throw new Error('no patient on the GP list has both lab results and a hospital letter');
};

test.describe.configure({ timeout: 120_000 });

test('a GP finds a patient by national id and by name prefixes, and reads the whole chart: banner, five sections, a signed note with its history, a lab trend', async ({ page, devHost }) => {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.setViewportSize(VIEWPORTS[0]);
  await page.goto(devHost.launchUrl);
  await expect(page.getByLabel('PIN-kode')).toBeVisible();
  await expectAccessible(page, 'the login screen');
  await logIn(page, null);

  // The worklist: today's appointments first, then the GP list.
  const today = page.getByRole('listbox', { name: 'Timeliste i dag' });
  await expect(today.getByRole('option').first()).toBeVisible({ timeout: 30_000 });
  await gpList(page);
  await page.getByRole('tab', { name: 'I dag' }).click();
  await expectAccessible(page, 'the worklist');
  await screenshots(page, 'worklist');

  const { name, nationalId } = await openRichChart(page);
  expect(nationalId).toMatch(NATIONAL_ID);
  await page.getByTestId('close-patient').click();
  await expect(page.getByRole('region', { name: 'Pasient' })).toHaveCount(0);

  // Ctrl+K from anywhere, then the national id as written on a card (with the space).
  await page.getByTestId('section-journal').or(page.locator('main')).first().click();
  await page.keyboard.press('Control+k');
  const search = page.getByRole('combobox', { name: 'Søk pasient' }).or(page.getByLabel('Søk pasient')).first();
  await expect(search).toBeFocused();
  await search.pressSequentially(nationalId, { delay: 20 });
  const results = page.getByRole('listbox', { name: 'Søketreff' });
  await expect(results.getByRole('option')).toHaveCount(1);
  await expect(results.getByRole('option').first()).toContainText(nationalId);
  await expectAccessible(page, 'the search results');
  await screenshots(page, 'search');
  await page.keyboard.press('Enter');
  const banner = page.getByRole('region', { name: 'Pasient' });
  await expect(banner.getByTestId('banner-national-id')).toHaveText(nationalId);
  await page.getByTestId('close-patient').click();

  // Two name prefixes in the other order: "kari nord" finds Nordmann, Kari.
  const [given = '', ...rest] = name.split(' ');
  const family = rest[rest.length - 1] ?? '';
  await page.keyboard.press('F2');
  await search.fill(`${family.slice(0, 3)} ${given.slice(0, 2)}`);
  await expect(results.getByRole('option').filter({ hasText: nationalId })).toHaveCount(1);
  await results.getByRole('option').filter({ hasText: nationalId }).click();
  await expect(banner.getByTestId('banner-national-id')).toHaveText(nationalId);

  // A wrong check digit is said as such, not "no hits".
  await page.keyboard.press('Control+k');
  const wrong = `${nationalId.slice(0, 11)}${(Number(nationalId.slice(11)) + 1) % 10}`;
  await search.fill(wrong);
  await expect(page.getByRole('alert').filter({ hasText: 'feil kontrollsiffer' })).toBeVisible();
  await search.press('Escape');

  // Banner and all five sections, with their content.
  await expect(banner.getByTestId('banner-name')).toHaveText(name);
  await expect(banner).toContainText(/\d+ år/);
  await expect(banner).toContainText('Fastlege');
  for (const heading of ['Kritisk informasjon', 'Problemliste', 'Legemidler', 'Journal', 'Laboratoriesvar']) {
    await expect(page.getByRole('heading', { name: heading, exact: true })).toBeVisible();
  }
  await expect(page.getByTestId('problem-item').first()).toContainText(/[A-Z]\d{2}/);
  await expect(page.getByTestId('lab-series').first()).toContainText(/\d/);
  await expect(page.getByTestId('timeline-item').first()).toBeVisible();
  await expectAccessible(page, 'the chart');
  await screenshots(page, 'chart');

  // A hospital discharge letter: its source, who signed it and whether the signature verifies.
  await page.getByRole('radiogroup', { name: 'Kilde' }).getByText('Sykehus', { exact: true }).click();
  await page.locator('[data-testid="timeline-item"][data-source="hospital"][data-kind="note"]').first().click();
  const note = page.getByTestId('note-view');
  await expect(note).toBeVisible();
  await expect(note.getByTestId('signature-status')).toHaveAttribute('data-status', 'verified');
  await expect(note.getByTestId('history-version').first()).toContainText('Versjon 1');
  await screenshots(page, 'note');
  await note.getByRole('button', { name: /Tilbake til journalen/ }).click();

  // A lab trend with its reference band; a click on the plot names the point.
  await page.getByTestId('lab-series').first().getByRole('button').click();
  const trend = page.getByTestId('lab-trend');
  await expect(trend.locator('.recharts-surface').first()).toBeVisible();
  await expect(trend.getByTestId('lab-point')).toContainText(/\d/);
  await expectAccessible(page, 'the lab trend');
  await screenshots(page, 'lab-trend');
  await page.keyboard.press('Escape');

  expect(problems).toEqual([]);
});

test('with the journal stopped, the cache answers: search and chart work and the field says offline', async ({ page, devHost }) => {
  await logIn(page, devHost.launchUrl);
  const list = await gpList(page);
  const first = list.getByRole('option').first();
  const nationalId = ((await first.textContent()) ?? '').match(/\d{6} \d{5}/)?.[0] ?? '';
  expect(nationalId).toMatch(NATIONAL_ID);
  // Let the prefetch bring the charts of the list into the cache before the outage.
  await first.click();
  await expect(page.getByTestId('chart')).toBeVisible();
  await page.getByTestId('close-patient').click();

  await devHost.stopJournal();
  await page.keyboard.press('Control+k');
  await page.getByLabel('Søk pasient').fill(nationalId.replace(' ', ''));
  await expect(page.getByTestId('search-offline')).toBeVisible({ timeout: 15_000 });
  await expect(page.getByRole('listbox', { name: 'Søketreff' }).getByRole('option')).toHaveCount(1);
  await page.keyboard.press('Enter');
  const banner = page.getByRole('region', { name: 'Pasient' });
  await expect(banner.getByTestId('banner-national-id')).toHaveText(nationalId);
  for (const heading of ['Kritisk informasjon', 'Problemliste', 'Legemidler', 'Journal', 'Laboratoriesvar']) {
    await expect(page.getByRole('heading', { name: heading, exact: true })).toBeVisible();
  }
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-online', 'false', { timeout: 30_000 });
  await expect(page.getByTestId('session-offline')).toContainText('Endringer lagres på denne maskinen og sendes når nettet er tilbake.');
});

test('the worklist opens a patient by keyboard only, and switching patients never mixes their data', async ({ page, devHost }) => {
  await logIn(page, devHost.launchUrl);
  const list = await gpList(page);
  await list.focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('Enter');
  const banner = page.getByRole('region', { name: 'Pasient' });
  const firstId = (await banner.getByTestId('banner-national-id').textContent()) ?? '';
  expect(firstId).toMatch(NATIONAL_ID);
  await list.focus();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(banner.getByTestId('banner-national-id')).not.toHaveText(firstId);
  const secondId = (await banner.getByTestId('banner-national-id').textContent()) ?? '';
  await expect(page.getByTestId('chart')).toHaveCount(1);
  await expect(page.locator('main')).not.toContainText(firstId);
  expect(secondId).toMatch(NATIONAL_ID);
});
