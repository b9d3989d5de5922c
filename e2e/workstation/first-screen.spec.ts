import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, repoRoot, test } from '../fixtures/dev-host';

const { version } = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string };

test('npm start serves the first screen: app.info and live events arrive over the WebSocket', async ({ page, devHost }) => {
  expect(devHost.output()).toContain('Electron is not started');
  const problems: string[] = [];
  page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
  page.on('pageerror', (error) => problems.push(error.message));
  const frames: string[] = [];
  const socket = page.waitForEvent('websocket');
  page.on('websocket', (ws) => ws.on('framereceived', (frame) => frames.push(String(frame.payload))));

  await page.goto(devHost.launchUrl);
  expect(page.url()).toBe(`${devHost.origin}/`);
  expect(new URL((await socket).url()).pathname).toBe('/contract');

  // Build information and the core's clock are in "Om Akson".
  await page.getByRole('button', { name: 'Om Akson' }).click();
  await expect(page.getByRole('heading', { name: 'Om arbeidsstasjonen' })).toBeVisible();
  await expect(page.getByTestId('app-version')).toHaveText(version);
  await expect(page.getByTestId('app-mode')).toHaveAttribute('data-mode', 'dev-host');
  await expect(page.getByTestId('app-mode')).toHaveText('Utviklingsvert i nettleser');
  await expect(page.getByTestId('app-transport')).toHaveAttribute('data-transport', 'websocket');
  const buildTime = await page.getByTestId('app-build-time').getAttribute('data-iso');
  expect(Date.parse(buildTime ?? '')).toBeLessThanOrEqual(Date.now());

  // Two different clock events: the live path core -> WebSocket -> renderer works, not just one answer.
  const seq = page.getByTestId('clock-seq');
  await expect(seq).toHaveText(/^\d+$/);
  const first = Number(await seq.textContent());
  await expect.poll(async () => Number(await seq.textContent()), { timeout: 5_000 }).toBeGreaterThan(first);
  expect(frames.some((frame) => frame.includes('"event":"app.clock"'))).toBe(true);
  expect(frames.some((frame) => frame.includes('"type":"result"') && frame.includes('"mode":"dev-host"'))).toBe(true);

  expect(problems).toEqual([]);
});

test('the whole screen switches to English and remembers it after a reload', async ({ page, devHost }) => {
  await page.goto(devHost.launchUrl);
  await page.getByText('English').click();
  await page.getByRole('button', { name: 'About Akson' }).click();
  await expect(page.getByRole('heading', { name: 'About this workstation' })).toBeVisible();
  await expect(page.getByTestId('app-mode')).toHaveText('Dev host in a browser');
  await page.reload();
  await expect(page.getByRole('heading', { name: 'Card login' })).toBeVisible();
  await page.getByRole('button', { name: 'About Akson' }).click();
  await expect(page.getByRole('heading', { name: 'About this workstation' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
});

test('the launch link works once: a second browser gets a clear refusal, not the app', async ({ page, browser, devHost }) => {
  await page.goto(devHost.launchUrl);
  await expect(page.getByTestId('session-card')).toBeVisible();

  const stranger = await browser.newContext();
  const other = await stranger.newPage();
  const reused = await other.goto(devHost.launchUrl);
  expect(reused?.status()).toBe(403);
  await expect(other.locator('body')).toContainText('Lenken er allerede brukt');
  const direct = await other.goto(devHost.origin);
  expect(direct?.status()).toBe(401);
  await stranger.close();
});

test('the page runs under a strict Content-Security-Policy', async ({ page, devHost }) => {
  const response = await page.goto(devHost.launchUrl);
  const csp = (await response?.allHeaders())?.['content-security-policy'] ?? '';
  expect(csp).toContain("default-src 'none'");
  expect(csp).toContain("script-src 'self'");
  // An inline script is refused by the browser.
  const ran = await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.__inlineRan = true';
    document.body.append(script);
    return (window as unknown as { __inlineRan?: boolean }).__inlineRan === true;
  });
  expect(ran).toBe(false);
});
