import { expect, test } from '../fixtures/dev-host';

test('npm start logs in to the demo journal with the TEST card and its PIN, and locks', async ({ page, devHost }) => {
  expect(devHost.output()).toMatch(/Demo journal on http:\/\/127\.0\.0\.1:\d+\. Log in with the TEST card: Demo Lege, PIN 123456\./);
  await page.goto(devHost.launchUrl);

  const session = page.getByTestId('session-card');
  await expect(session).toHaveAttribute('data-state', 'logged-out');
  // The TEST card is marked in the header and on the card.
  await expect(page.getByTestId('test-card-badge')).toHaveCount(2);

  const pin = page.getByLabel('PIN-kode');
  await pin.fill('000000');
  await page.getByRole('button', { name: 'Logg inn' }).click();
  await expect(page.getByRole('alert')).toContainText('Feil PIN-kode');
  await expect(pin).toHaveValue('');

  await pin.fill('123456');
  await page.getByRole('button', { name: 'Logg inn' }).click();
  // The workstation takes over the window: the clinician's menu says who is logged in.
  await expect(page.getByTestId('session-clinician')).toHaveText('Demo Lege (TEST)');
  await expect(page.getByRole('button', { name: 'Brukermeny: Innlogget som Demo Lege (TEST) (HPR 565509001)' })).toBeVisible();
  await expect(page.getByTestId('test-card-badge')).toHaveCount(1);
  // The encrypted offline cache opened with the login, and the sync engine reports in the header.
  await expect(page.getByTestId('sync-status')).toHaveAttribute('data-online', 'true');
  await expect(page.getByTestId('sync-status')).toHaveText('Tilkoblet');

  await page.getByTestId('clinician-menu').click();
  await page.getByTestId('menu-lock').click();
  await expect(session).toHaveAttribute('data-state', 'locked');
  await expect(page.getByText('Skjermen er låst. Skriv PIN-koden for å fortsette.')).toBeVisible();
  await expect(page.getByTestId('sync-status')).toHaveCount(0);
});
