import { expect, test } from '../fixtures/dev-host';
import { expectAccessible, focusSearch, gpListNationalId, logIn, screenshots, VIEWPORTS } from '../support/workstation';

test.describe.configure({ timeout: 150_000 });

/** The GP at the other office (demo card): no work-related need for the demo GP's list. */
const OTHER_GP_HPR = '565509002';

test("a GP at another office finds a patient, is refused the record with the reason, self-authorises, and sees the chart with the grant's time in the banner", async ({ page, browser, devHost }) => {
  // The demo GP's list gives the patient (and the national id to search for).
  await page.setViewportSize(VIEWPORTS[0]);
  await page.goto(devHost.launchUrl);
  await logIn(page, null);
  const nationalId = await gpListNationalId(page, 5);

  const launch = await devHost.startWorkstation(OTHER_GP_HPR);
  const context = await browser.newContext({ viewport: VIEWPORTS[0] });
  const other = await context.newPage();
  await logIn(other, launch);
  await focusSearch(other);
  await other.keyboard.type(nationalId.replace(' ', ''));
  await expect(other.getByRole('listbox', { name: 'Søketreff' }).getByRole('option').first()).toBeVisible({ timeout: 20_000 });
  await other.keyboard.press('Enter');
  const chart = other.getByTestId('chart');
  await expect(chart).toHaveAttribute('data-access', 'refused', { timeout: 30_000 });
  await expect(other.getByRole('region', { name: 'Pasient' }).getByTestId('banner-national-id')).toHaveText(nationalId);
  await expect(other.getByTestId('chart-refused')).toContainText(/break-the-glass|selvautoris/i);
  await expect(other.getByTestId('section-journal')).toHaveCount(0);
  await expectAccessible(other, 'the refused chart');
  await screenshots(other, 'chart-refused');

  await other.getByTestId('self-authorise').click();
  const dialog = other.getByRole('dialog', { name: 'Selvautorisasjon' });
  await expect(dialog).toContainText('4 timer');
  // Without the clinician's own words nothing is asked of the journal.
  await dialog.getByTestId('self-authorise-submit').click();
  await expect(dialog.getByRole('alert')).toContainText('egne ord');
  await dialog.getByLabel('Grunn').click();
  await other.getByRole('option', { name: 'Pasienten er til behandling hos meg nå' }).click();
  await dialog.getByLabel('Forklar med egne ord').fill('Pasienten møtte på mitt kontor med brystsmerter; fastlegen er borte.');
  await expectAccessible(other, 'the self-authorisation dialog');
  await dialog.getByTestId('self-authorise-submit').click();
  await expect(dialog).toHaveCount(0);
  await expect(chart).not.toHaveAttribute('data-access', 'refused', { timeout: 30_000 });
  await expect(other.getByTestId('section-journal')).toBeVisible();
  await expect(other.getByTestId('banner-grant')).toContainText(/Selvautorisert: (3 t 59|4 t 0) min igjen/);
  await screenshots(other, 'chart-self-authorised');
  await context.close();
});

/** The privacy officer at the demo office (demo card): reads access logs, never records. */
const PRIVACY_OFFICER_HPR = '565509006';

test('the privacy officer reads who has seen a record (the GP, on the GP basis); the record itself stays closed to them', async ({ page, browser, devHost }) => {
  await page.setViewportSize(VIEWPORTS[0]);
  await page.goto(devHost.launchUrl);
  await logIn(page, null);
  await page.getByRole('tab', { name: 'Fastlegeliste' }).click();
  const list = page.getByRole('listbox', { name: 'Fastlegeliste' });
  await expect(list.getByRole('option').first()).toContainText(/\d{6} \d{5}/, { timeout: 30_000 });
  // The GP opens the chart: that is in the log.
  await list.getByRole('option').nth(6).click();
  const nationalId = (await page.getByTestId('banner-national-id').textContent()) ?? '';
  await expect(page.getByTestId('section-journal')).toBeVisible();

  const launch = await devHost.startWorkstation(PRIVACY_OFFICER_HPR);
  const context = await browser.newContext({ viewport: VIEWPORTS[0] });
  const officer = await context.newPage();
  await logIn(officer, launch);
  await focusSearch(officer);
  await officer.keyboard.type(nationalId.replace(' ', ''));
  await expect(officer.getByRole('listbox', { name: 'Søketreff' }).getByRole('option').first()).toBeVisible({ timeout: 20_000 });
  await officer.keyboard.press('Enter');
  await expect(officer.getByTestId('chart')).toHaveAttribute('data-access', 'refused', { timeout: 30_000 });
  await officer.getByTestId('open-access-log').click();
  const log = officer.getByTestId('access-log');
  await expect(log).toBeVisible({ timeout: 20_000 });
  const gpLine = log.getByTestId('access-log-entry').filter({ hasText: 'Demo Lege (TEST)' }).filter({ hasText: 'Fastlege' }).first();
  await expect(gpLine).toBeVisible();
  await expect(gpLine).toContainText('HPR 565509001');
  await expectAccessible(officer, 'the access log');
  await screenshots(officer, 'access-log');
  await context.close();
});

test("a GP blocks a hospital letter at the patient's request: it leaves the GP's chart and cache, the banner says something is blocked, and the journal no longer gives it to them", async ({ page, devHost }) => {
  await page.setViewportSize(VIEWPORTS[0]);
  await page.goto(devHost.launchUrl);
  await logIn(page, null);
  await page.getByRole('tab', { name: 'Fastlegeliste' }).click();
  const list = page.getByRole('listbox', { name: 'Fastlegeliste' });
  await expect(list.getByRole('option').first()).toContainText(/\d{6} \d{5}/, { timeout: 30_000 });
  // The first patient with a hospital letter (written by the hospital, so the block applies to the GP).
  let letter = page.locator('[data-testid="timeline-item"][data-source="hospital"][data-kind="document"], [data-testid="timeline-item"][data-source="hospital"][data-kind="note"]').first();
  const count = await list.getByRole('option').count();
  for (let i = 0; i < count; i += 1) {
    await list.getByRole('option').nth(i).click();
    await expect(page.getByTestId('section-journal')).toBeVisible();
    if ((await letter.count()) > 0) {
      break;
    }
  }
  letter = letter.first();
  const key = (await letter.getAttribute('data-key')) ?? '';
  expect(key).toMatch(/^(Composition|DocumentReference)\//);
  const patientId = (await page.getByTestId('chart').getAttribute('data-patient-id')) ?? '';
  await letter.click();
  await page.getByTestId('block-document').click();
  const dialog = page.getByRole('dialog', { name: 'Sperr dokumentet' });
  await dialog.getByLabel('Pasientens ønske, med dine ord').fill('Pasienten ønsker epikrisen sperret for andre enn forfatteren.');
  await expectAccessible(page, 'the block dialog');
  await dialog.getByTestId('block-submit').click();
  await expect(dialog).toHaveCount(0);
  await expect(page.locator(`[data-testid="timeline-item"][data-key="${key}"]`)).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByTestId('banner-blocked')).toHaveText('Noe informasjon er sperret');
  // The journal itself: the GP's $everything no longer holds it.
  const bundle = (await devHost.readJournal(`Patient/${patientId}/$everything`)) as { entry?: { resource: { resourceType: string; id: string } }[] };
  expect((bundle.entry ?? []).map((e) => `${e.resource.resourceType}/${e.resource.id}`)).not.toContain(key);
});
