import type { Locator, Page } from '@playwright/test';
import { expect, test, type RunningHost } from '../fixtures/dev-host';
import { expectAccessible, gpListNationalId, logIn, screenshots, VIEWPORTS } from '../support/workstation';

test.describe.configure({ timeout: 180_000 });

interface Bundle {
  entry?: { resource: Record<string, unknown> }[];
}

type Json = Record<string, unknown>;

const codeOf = (concept: unknown): string | undefined => ((concept as { coding?: { code?: string }[] } | undefined)?.coding ?? [])[0]?.code;

/** Opens a patient on the GP list by national id from the search field; the chart's patient id. */
const openGpPatient = async (page: Page, index: number): Promise<string> => {
  const nationalId = await gpListNationalId(page, index);
  await page.keyboard.press('Control+k');
  await page.keyboard.type(nationalId.replace(' ', ''));
  await expect(page.getByRole('listbox', { name: 'Søketreff' }).getByRole('option').first()).toBeVisible();
  await page.keyboard.press('Enter');
  const chart = page.getByTestId('chart');
  await expect(chart).toBeVisible();
  return (await chart.getAttribute('data-patient-id')) ?? '';
};

const search = async (host: RunningHost, path: string): Promise<Json[]> => (((await host.readJournal(path)) as Bundle).entry ?? []).map((entry) => entry.resource);

/** The one item of a section this journey changed: the one with a sync badge, once the journal has it. */
const syncedItem = async (section: Locator, testId: string, text: string): Promise<{ item: Locator; id: string }> => {
  const item = section.getByTestId(testId).filter({ hasText: text }).filter({ has: section.page().getByTestId('sync-state') }).first();
  await expect(item.getByTestId('sync-state')).toHaveAttribute('data-state', 'synced', { timeout: 30_000 });
  const key = (await item.getAttribute('data-key')) ?? '';
  expect(key).toMatch(/^[A-Za-z]+\/[A-Za-z0-9.-]+$/);
  expect(key).not.toContain('local-');
  return { item, id: key.split('/')[1] ?? '' };
};

test('a GP records a severe penicillin allergy (CAVE in the banner at once, waiting -> synchronised), marks it inactive, adds R74 and resolves it: the journal holds each change and its versions', async ({ page, devHost }) => {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.setViewportSize(VIEWPORTS[0]);
  await page.goto(devHost.launchUrl);
  await logIn(page, null);
  const patientId = await openGpPatient(page, 1);
  const critical = page.getByTestId('section-critical');

  // A new allergy, by keyboard after the button: substance has the focus.
  await critical.getByTestId('new-allergy').click();
  const dialog = page.getByRole('dialog', { name: 'Ny allergi eller kritisk informasjon' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('Substans')).toBeFocused();
  await page.keyboard.type('Penicillin');
  await dialog.getByLabel('Reaksjon').fill('Anafylaksi');
  await dialog.getByLabel('Alvorlighet').selectOption('severe');
  await dialog.getByLabel('Sikkerhet').selectOption('confirmed');
  await dialog.getByLabel('Kritikalitet').selectOption('high');
  await expectAccessible(page, 'the allergy dialog');
  await screenshots(page, 'allergy-dialog');
  await dialog.getByLabel('Substans').focus();
  await page.keyboard.press('Enter');
  await expect(dialog).toHaveCount(0);

  // At once: the banner's CAVE, and the item waiting for the journal, then synchronised.
  await expect(page.getByTestId('banner-cave')).toBeVisible();
  await page.getByTestId('banner-cave').click();
  await expect(page.getByRole('dialog').filter({ hasText: 'Kritisk informasjon' }).last()).toContainText('Penicillin: Anafylaksi');
  await page.keyboard.press('Escape');
  const mine = critical.getByTestId('critical-item').filter({ hasText: 'Anafylaksi' }).filter({ has: page.getByTestId('sync-state') }).first();
  await expect(mine.getByTestId('sync-state')).toHaveAttribute('data-state', /pending|synced/);
  const { item: allergyItem, id: allergyId } = await syncedItem(critical, 'critical-item', 'Penicillin');

  // The journal holds it as written.
  const allergies = await search(devHost, `AllergyIntolerance?patient=Patient/${patientId}`);
  const stored = allergies.find((a) => a.id === allergyId);
  expect(stored, JSON.stringify(allergies.map((a) => a.id))).toBeDefined();
  expect(codeOf(stored?.clinicalStatus)).toBe('active');
  expect(codeOf(stored?.verificationStatus)).toBe('confirmed');
  expect(stored?.criticality).toBe('high');
  expect((stored?.code as Json).text).toBe('Penicillin');
  expect(codeOf(stored?.code)).toBe('J01CE');
  expect(stored?.reaction).toMatchObject([{ manifestation: [{ text: 'Anafylaksi' }], severity: 'severe' }]);
  expect(stored?.patient).toEqual({ reference: `Patient/${patientId}` });

  // Marked inactive: gone from the chart, inactive in the journal, two versions in its history.
  await allergyItem.click();
  const edit = page.getByRole('dialog', { name: 'Endre allergi eller kritisk informasjon' });
  await expect(edit).toBeVisible();
  await expect(edit.getByLabel('Substans')).toHaveValue('Penicillin');
  await expect(edit.getByTestId('record-version')).toHaveCount(1);
  await expectAccessible(page, 'the allergy edit dialog');
  await edit.getByTestId('mark-inactive').click();
  await expect(edit).toHaveCount(0);
  // Out of the list and the banner; shown dimmed, as inactive, while its change goes to the journal.
  await expect(critical.locator(`[data-testid="critical-item"][data-key="AllergyIntolerance/${allergyId}"]`)).toHaveCount(0);
  const inactive = critical.locator(`[data-testid="critical-inactive-item"][data-key="AllergyIntolerance/${allergyId}"]`);
  await expect(inactive).toContainText('Inaktiv');
  await expect(inactive.getByTestId('sync-state')).toHaveAttribute('data-state', 'synced', { timeout: 30_000 });
  await expect
    .poll(async () => codeOf(((await devHost.readJournal(`AllergyIntolerance/${allergyId}`)) as Json).clinicalStatus), { timeout: 30_000 })
    .toBe('inactive');
  const history = await search(devHost, `AllergyIntolerance/${allergyId}/_history`);
  expect(history).toHaveLength(2);
  // Its versions in the dialog too: this one (inactive) and the first.
  await inactive.click();
  const reopened = page.getByRole('dialog', { name: 'Endre allergi eller kritisk informasjon' });
  await expect(reopened.getByTestId('record-version')).toHaveCount(2);
  await expect(reopened.getByTestId('record-version').first()).toContainText('inactive');
  await expect(reopened.getByTestId('mark-active')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(reopened).toHaveCount(0);

  // A problem: R74 from the ICPC-2 picker, with its onset; then resolved with a date.
  const problemsSection = page.getByTestId('section-problems');
  await problemsSection.getByTestId('new-problem').click();
  const problemDialog = page.getByRole('dialog', { name: 'Nytt problem' });
  await expect(problemDialog).toBeVisible();
  await expect(problemDialog.getByRole('textbox', { name: 'Problem (ICPC-2)' })).toBeFocused();
  await page.keyboard.type('R74');
  await expect(page.getByTestId('code-option').first()).toContainText('R74');
  await page.keyboard.press('Enter');
  await expect(problemDialog.getByTestId('problem-code')).toContainText('R74');
  // Dates are typed and shown day first, also in this en-US browser (whose own date field is month first).
  const onset = problemDialog.getByLabel('Debut');
  await onset.fill('28.11.2026');
  // The calendar under the field: Norwegian month names, Monday first, the typed day picked.
  await expect(page.getByRole('button', { name: /28.+november 2026/i })).toHaveAttribute('data-selected', 'true');
  await expectAccessible(page, 'the date calendar');
  await screenshots(page, 'problem-dialog-date');
  // Escape closes the calendar, not the dialog with the form.
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: /28.+november 2026/i })).toHaveCount(0);
  await expect(problemDialog).toBeVisible();
  await onset.blur();
  await expect(onset).toHaveValue('28.11.2026');
  await expectAccessible(page, 'the problem dialog');
  await problemDialog.getByTestId('record-save').click();
  await expect(problemDialog).toHaveCount(0);
  const { item: problemItem, id: conditionId } = await syncedItem(problemsSection, 'problem-item', 'R74');
  const conditions = await search(devHost, `Condition?subject=Patient/${patientId}`);
  const condition = conditions.find((c) => c.id === conditionId);
  expect(codeOf(condition?.code)).toBe('R74');
  expect(codeOf(condition?.clinicalStatus)).toBe('active');
  expect(condition?.onsetDateTime).toBe('2026-11-28');
  expect(JSON.stringify(condition?.category)).toContain('problem-list-item');

  await problemItem.click();
  const resolveDialog = page.getByRole('dialog', { name: 'Endre problem' });
  await expect(resolveDialog).toBeVisible();
  await resolveDialog.getByLabel('Avsluttet', { exact: true }).check();
  await resolveDialog.getByLabel('Avsluttet dato').fill('01122026');
  await resolveDialog.getByLabel('Avsluttet dato').blur();
  await expect(resolveDialog.getByLabel('Avsluttet dato')).toHaveValue('01.12.2026');
  await expect(resolveDialog.getByLabel('Debut')).toHaveValue('28.11.2026');
  await expectAccessible(page, 'the problem edit dialog');
  await resolveDialog.getByTestId('record-save').click();
  await expect(resolveDialog).toHaveCount(0);
  await expect
    .poll(async () => {
      const current = (await devHost.readJournal(`Condition/${conditionId}`)) as Json;
      return `${codeOf(current.clinicalStatus) ?? ''} ${typeof current.abatementDateTime === 'string' ? current.abatementDateTime : ''}`;
    }, { timeout: 30_000 })
    .toBe('resolved 2026-12-01');
  expect(await search(devHost, `Condition/${conditionId}/_history`)).toHaveLength(2);
  await problemsSection.getByRole('button', { name: /Vis \d+ avsluttet/ }).click();
  await expect(problemsSection.locator(`[data-key="Condition/${conditionId}"]`)).toContainText('avsluttet 01.12.2026');
  expect(problems).toEqual([]);
});
