import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test } from '../fixtures/dev-host';
import { expectAccessible, gpListNationalId, logIn, screenshots, VIEWPORTS } from '../support/workstation';

/** A patient from the GP list opened from the search field: their id and name as the banner shows them. */
const openGpPatient = async (page: Page): Promise<{ patientId: string; name: string }> => {
  const nationalId = await gpListNationalId(page, 0);
  await page.keyboard.press('Control+k');
  await page.keyboard.type(nationalId.replace(' ', ''));
  await expect(page.getByRole('listbox', { name: 'Søketreff' }).getByRole('option').first()).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('chart')).toBeVisible();
  const patientId = (await page.getByTestId('chart').getAttribute('data-patient-id')) ?? '';
  const name = ((await page.getByTestId('banner-name').textContent()) ?? '').trim();
  expect(patientId).not.toBe('');
  expect(name.length).toBeGreaterThan(3);
  return { patientId, name };
};

/**
 * One workstation for the three journeys (a dev host with its demo journal takes ~20 s to start on
 * a busy build machine). Its machine-wide file presets the idle lock and locks the preferred card and
 * the update channel; the dev host counts the idle lock's minutes as seconds (tests only).
 */
test.use({
  machineSettings: { settings: { idleLockMinutes: 60, cardLabel: 'Legevakt-kort', updateChannel: 'pilot' }, locked: ['cardLabel', 'updateChannel'] },
  hostEnv: { AKSON_IDLE_MINUTE_SECONDS: '1' },
});

/** The idle lock the settings journey sets (seconds here): long enough to open a patient and write a line. */
const IDLE = 15;

test('desktop shell: the failure screen for a cache that can not be opened, the settings screen with IT locks, and the idle lock over an open draft', async ({ page, devHost }) => {
  test.setTimeout(120_000);
  await page.setViewportSize(VIEWPORTS[0]);
  await logIn(page, devHost.launchUrl);
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-online', 'true');

  await test.step('a cache that can not be opened: the failure screen says what happened, in bokmål, and offers what to do', async () => {
    await page.getByTestId('clinician-menu').click();
    await page.getByTestId('menu-lock').click();
    await expect(page.getByTestId('session-card')).toHaveAttribute('data-state', 'locked');
    // The clinician's cache key file is damaged while the screen is locked (one clinician, one journal).
    const caches = join(devHost.dataDir, 'caches');
    const [journalFolder = ''] = readdirSync(caches);
    const [clinicianFolder = ''] = readdirSync(join(caches, journalFolder));
    writeFileSync(join(caches, journalFolder, clinicianFolder, 'cache-key.json'), '{ not json');

    await page.getByLabel('PIN-kode').fill('123456');
    await page.getByRole('button', { name: 'Logg inn' }).click();
    const failure = page.getByTestId('failure-screen');
    await expect(failure).toBeVisible({ timeout: 15_000 });
    await expect(failure.getByRole('heading', { name: 'Arbeidsstasjonen kan ikke brukes som vanlig' })).toBeVisible();
    await expect(failure).toContainText('Den lokale journalkopien på denne PC-en kunne ikke åpnes (KEY_FILE_INVALID).');
    await expect(failure).toContainText('Du kan arbeide mot journalen når du er på nett, men ikke frakoblet.');
    // Core could not read that cache, so the screen says it can not know about unsent changes.
    await expect(failure.getByTestId('failure-unsent')).toHaveAttribute('data-state', 'unknown');
    await expect(failure.getByTestId('failure-unsent')).toContainText('vet derfor ikke om den har endringer som ikke er sendt');
    await expect(failure.getByTestId('failure-retry')).toHaveText('Prøv igjen');
    await expect(failure.getByTestId('failure-rebuild')).toHaveText('Bygg opp igjen fra journalen');
    await expect(failure.getByRole('button', { name: 'Eksporter logger til IT' })).toBeVisible();
    await expect(failure.getByTestId('failure-continue')).toHaveText('Fortsett likevel');
    await expectAccessible(page, 'the failure screen');
    await screenshots(page, 'failure-cache');

    // Rebuilding from the journal gives a working workstation again.
    await failure.getByTestId('failure-rebuild').click();
    await expect(page.getByTestId('failure-screen')).toHaveCount(0);
    await expect(page.getByTestId('sync-status')).toHaveAttribute('data-online', 'true', { timeout: 15_000 });
  });

  await test.step('the settings screen changes the language and the idle minutes, keeps them, and shows what IT locked as locked', async () => {
    await page.getByTestId('clinician-menu').click();
    await page.getByTestId('menu-settings').click();
    const dialog = page.getByRole('dialog', { name: 'Innstillinger' });
    await expect(dialog).toBeVisible();
    // Locked by IT: shown with its value, not changeable.
    const card = dialog.getByLabel('Foretrukket kort');
    await expect(card).toHaveValue('Legevakt-kort');
    await expect(card).toBeDisabled();
    await expect(dialog.getByText('Låst av IT', { exact: true })).toHaveCount(2);
    await expect(dialog).toContainText('Oppdateringskanal: Pilot');
    // The journal npm start chose is shown as the one in use, not as "not set".
    await expect(dialog.getByTestId('setting-journal-url')).toHaveText(/^Demojournalen på denne PC-en \(http:\/\/127\.0\.0\.1:\d+\)/);
    // IT's preset for the idle lock, which the clinician may still change.
    const minutes = dialog.getByLabel('Lås skjermen etter (minutter uten bruk)');
    await expect(minutes).toBeEnabled();
    await expect(minutes).toHaveValue('60');
    await expectAccessible(page, 'the settings screen');
    await screenshots(page, 'settings-locked');

    await minutes.fill(String(IDLE));
    await dialog.getByText('English').click();
    await dialog.getByTestId('settings-save').click();
    // The whole screen switches at once.
    const english = page.getByRole('dialog', { name: 'Settings' });
    await expect(english.getByText('Settings saved.')).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('tab', { name: 'GP list' })).toBeVisible();

    // Kept by core, not by the page: after a reload the settings screen reads them back.
    await page.reload();
    await page.getByTestId('clinician-menu').click();
    await page.getByTestId('menu-settings').click();
    await expect(english.getByLabel('Lock the screen after (minutes without use)')).toHaveValue(String(IDLE));
    await expect(english.getByLabel('Preferred card')).toBeDisabled();
    await expect(english.getByText('Locked by IT', { exact: true })).toHaveCount(2);

    // And back to bokmål (saving also starts the idle countdown again).
    await english.getByText('Norsk').click();
    await english.getByTestId('settings-save').click();
    const norwegian = page.getByRole('dialog', { name: 'Innstillinger' });
    await expect(norwegian.getByText('Innstillingene er lagret.')).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'nb');
    await norwegian.getByRole('button', { name: 'Lukk' }).first().click();
    await expect(norwegian).toHaveCount(0);
  });

  await test.step('the idle lock takes the patient out of the page and brings the same patient and draft back after the PIN', async () => {
    const { patientId, name } = await openGpPatient(page);
    await page.keyboard.press('Control+n');
    await expect(page.getByTestId('note-editor')).toBeVisible();
    const draft = 'Kontroll etter sårskade, tilhelet uten tegn til infeksjon.';
    await page.getByLabel('Anamnese').fill(draft);
    await page.getByLabel('Funn').click();
    await expect(page.getByTestId('autosave-status')).toHaveAttribute('data-state', 'saved');
    await expect(page.getByTestId('session-card')).toHaveCount(0);

    // No input now: core's timer locks the screen.
    await expect(page.getByTestId('session-card')).toHaveAttribute('data-state', 'locked', { timeout: (IDLE + 10) * 1000 });
    await expect(page.getByText('Skjermen er låst. Skriv PIN-koden for å fortsette.')).toBeVisible();
    // Gone from the page, not covered: no chart, no editor, no name, id or draft text anywhere in the DOM.
    await expect(page.getByTestId('chart')).toHaveCount(0);
    await expect(page.getByTestId('note-editor')).toHaveCount(0);
    const content = await page.content();
    expect(content).not.toContain(name);
    expect(content).not.toContain(patientId);
    expect(content).not.toContain(draft);
    await expectAccessible(page, 'the locked screen');
    await screenshots(page, 'idle-locked');

    await logIn(page, null);
    await expect(page.getByTestId('chart')).toHaveAttribute('data-patient-id', patientId);
    await expect(page.getByTestId('banner-name')).toHaveText(name);
    // The note that was being written opens again with the kept draft.
    await expect(page.getByTestId('note-editor')).toBeVisible();
    await expect(page.getByLabel('Anamnese')).toHaveValue(draft);
  });
});
