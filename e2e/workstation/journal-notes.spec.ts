import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { signedContentOf, type SignableResource } from '../../shared/signing/provenance';
import { expect, test, type RunningHost } from '../fixtures/dev-host';
import { expectAccessible, gpListNationalId, logIn, screenshots, VIEWPORTS } from '../support/workstation';

test.describe.configure({ timeout: 150_000 });

interface Bundle {
  entry?: { resource: Record<string, unknown> }[];
}

/** Keys pressed and pointer actions, counted as the journey goes (clinical text and the PIN are counted apart). */
class Effort {
  keys = 0;
  clicks = 0;
  textChars = 0;
  constructor(private readonly page: Page) {}
  async press(key: string): Promise<void> {
    this.keys += 1;
    await this.page.keyboard.press(key);
  }
  async type(text: string, clinical = false): Promise<void> {
    if (clinical) {
      this.textChars += text.length;
    } else {
      this.keys += text.length;
    }
    await this.page.keyboard.type(text);
  }
}

/** A patient on the GP list: name and national id as the banner shows them. */
const pickGpPatient = async (page: Page, index: number): Promise<{ nationalId: string }> => {
  const nationalId = await gpListNationalId(page, index);
  await page.getByRole('tab', { name: 'I dag' }).click();
  return { nationalId };
};

/** openssl cms -verify of a Provenance's signature over the note as the journal holds it, against the demo CA. */
const opensslVerifies = (host: RunningHost, note: Record<string, unknown>, provenance: Record<string, unknown>): { ok: boolean; output: string } => {
  const dir = mkdtempSync(join(tmpdir(), 'akson-e2e-cms-'));
  try {
    const signature = (provenance.signature as { data: string }[])[0]?.data ?? '';
    writeFileSync(join(dir, 'sig.p7s'), Buffer.from(signature, 'base64'));
    writeFileSync(join(dir, 'content.json'), signedContentOf(note as SignableResource));
    const caFile = join(host.testCard, '..', 'demo-ca.pem');
    const run = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(dir, 'sig.p7s'), '-content', join(dir, 'content.json'), '-CAfile', caFile, '-purpose', 'any', '-out', '/dev/null'], { encoding: 'utf8' });
    return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

/** The journal's notes for a patient, with each one's Provenances. */
const journalNotes = async (host: RunningHost, patientId: string): Promise<Record<string, unknown>[]> => {
  const bundle = (await host.readJournal(`Composition?subject=Patient/${patientId}&_count=200`)) as Bundle;
  return (bundle.entry ?? []).map((entry) => entry.resource);
};

/** Writes a note from the search field on, by keyboard only, and signs it (a wrong PIN first when asked). */
const writeAndSign = async (page: Page, effort: Effort, nationalId: string, options: { wrongPinFirst?: boolean; look?: boolean } = {}): Promise<{ patientId: string; noteId: string; signMs: number }> => {
  await effort.press('Control+k');
  await effort.type(nationalId.replace(' ', ''));
  await expect(page.getByRole('listbox', { name: 'Søketreff' }).getByRole('option').first()).toBeVisible();
  await effort.press('Enter');
  const chart = page.getByTestId('chart');
  await expect(chart).toBeVisible();
  const patientId = (await chart.getAttribute('data-patient-id')) ?? '';

  await effort.press('Control+n');
  const editor = page.getByTestId('note-editor');
  await expect(editor).toBeVisible();
  // The contact reason first (the field has the focus), then the four sections, then the diagnosis.
  await effort.type('hoste');
  await expect(page.getByTestId('code-option').first()).toContainText('R05');
  await effort.press('Enter');
  await effort.press('Tab');
  await expect(page.getByLabel('Anamnese')).toBeFocused();
  await effort.type('Hoste og sår hals i fem dager, ikke feber.', true);
  await effort.press('Tab');
  await effort.type('Rød svelg, ingen belegg. Lunger: vesikulær respirasjon.', true);
  await effort.press('Tab');
  await effort.type('Sannsynlig viral øvre luftveisinfeksjon.', true);
  await effort.press('Tab');
  await effort.type('Råd om væske og hvile. Ny time ved forverring.', true);
  await effort.press('Tab');
  await expect(page.getByRole('textbox', { name: 'Diagnose (ICPC-2)' })).toBeFocused();
  await effort.type('R74');
  await expect(page.getByTestId('code-option').first()).toContainText('R74');
  await effort.press('Enter');
  await expect(page.getByTestId('diagnosis-picker')).toContainText('R74');
  if (options.look) {
    await expectAccessible(page, 'the note editor');
    await screenshots(page, 'note-editor');
  }

  await effort.press('Control+Enter');
  const dialog = page.getByRole('dialog', { name: 'Signer notatet' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByLabel('PIN-kode')).toBeFocused();
  if (options.look) {
    await expectAccessible(page, 'the PIN dialog');
    await screenshots(page, 'sign-dialog');
  }
  if (options.wrongPinFirst) {
    await page.keyboard.type('000000');
    await page.keyboard.press('Enter');
    await expect(dialog.getByRole('alert')).toContainText(/feil|PIN/i);
    await expect(dialog.getByLabel('PIN-kode')).toHaveValue('');
  }
  await page.keyboard.type('123456');
  // Timed in the page, from the Enter that submits the PIN to the signed note painted in the timeline.
  await page.evaluate(() => {
    const w = window as unknown as { __signMs?: number };
    delete w.__signMs;
    document.addEventListener(
      'keydown',
      (event) => {
        if (event.key !== 'Enter') {
          return;
        }
        const started = performance.now();
        const check = (): void => {
          if (document.querySelector('[data-testid="timeline-item"][data-kind="note"] [data-testid="sync-state"]')) {
            w.__signMs = performance.now() - started;
          } else {
            requestAnimationFrame(check);
          }
        };
        requestAnimationFrame(check);
      },
      { once: true, capture: true },
    );
  });
  await page.keyboard.press('Enter');
  effort.keys += 1;
  await expect(dialog).toHaveCount(0);
  const signed = page.locator('[data-testid="timeline-item"][data-kind="note"]').filter({ has: page.getByTestId('sync-state') }).first();
  await expect(signed).toBeVisible();
  const signMs = await page.evaluate(() => (window as unknown as { __signMs?: number }).__signMs ?? -1);
  const noteKey = (await signed.getAttribute('data-key')) ?? '';
  expect(noteKey).toMatch(/^Composition\/[\w-]+$/);
  return { patientId, noteId: noteKey.slice('Composition/'.length), signMs };
};

test('a GP writes a coded note by keyboard and signs it with the card: the journal holds it with a Provenance OpenSSL verifies; a wrong PIN first makes no second note', async ({ page, devHost }) => {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.setViewportSize(VIEWPORTS[0]);
  await page.goto(devHost.launchUrl);
  await logIn(page, null);
  const { nationalId } = await pickGpPatient(page, 0);
  const effort = new Effort(page);
  const { patientId, noteId, signMs } = await writeAndSign(page, effort, nationalId, { wrongPinFirst: true, look: true });

  const item = page.locator(`[data-testid="timeline-item"][data-key="Composition/${noteId}"]`);
  await expect(item.getByTestId('sync-state')).toHaveAttribute('data-state', 'synced', { timeout: 30_000 });
  await expect(item).toContainText('Demo Lege');

  // The journal: the note once, as written, with its signature, verifiable by anyone with OpenSSL.
  const notes = await journalNotes(devHost, patientId);
  const mine = notes.filter((note) => JSON.stringify(note).includes('Sannsynlig viral øvre luftveisinfeksjon.'));
  expect(mine).toHaveLength(1);
  const note = mine[0] ?? {};
  expect(note.id).toBe(noteId);
  expect(JSON.stringify(note.extension)).toContain('"R74"');
  expect(JSON.stringify(note.extension)).toContain('"R05"');
  expect((note.section as { title: string }[]).map((s) => s.title)).toEqual(['Kontaktårsak', 'Anamnese', 'Funn', 'Vurdering', 'Tiltak', 'Diagnose']);
  const provenances = ((await devHost.readJournal(`Provenance?target=Composition/${noteId}`)) as Bundle).entry ?? [];
  expect(provenances).toHaveLength(1);
  const verified = opensslVerifies(devHost, note, provenances[0]?.resource ?? {});
  expect(verified.ok, verified.output).toBe(true);

  // The note view: who signed, and that it verifies.
  await item.click();
  await expect(page.getByTestId('signature-status')).toHaveAttribute('data-status', 'verified');
  await expect(page.getByTestId('signature-status')).toContainText('Demo Lege');
  await expectAccessible(page, 'the signed note');
  // eslint-disable-next-line no-console -- the figures of the journey, for the issue's report
  console.log(`AKSON_NOTE_EFFORT ${JSON.stringify({ keys: effort.keys, clicks: effort.clicks, clinicalTextChars: effort.textChars, signMs })}`);
  expect(problems).toEqual([]);
});

test('with the journal stopped a signed note waits on this PC (offline banner, "venter"), and reaches the journal exactly once when it is back', async ({ page, devHost }) => {
  await page.setViewportSize(VIEWPORTS[0]);
  await page.goto(devHost.launchUrl);
  await logIn(page, null);
  const { nationalId } = await pickGpPatient(page, 1);
  // Cached first (the GP list's prefetch), so the chart opens without the journal.
  await devHost.stopJournal();
  const { patientId, noteId } = await writeAndSign(page, new Effort(page), nationalId);
  const item = page.locator(`[data-testid="timeline-item"][data-key="Composition/${noteId}"]`);
  await expect(item.getByTestId('sync-state')).toHaveAttribute('data-state', 'pending');
  const banner = page.getByTestId('session-offline');
  await expect(banner).toBeVisible({ timeout: 30_000 });
  await expect(banner).toContainText('Frakoblet');
  await expect(banner).toContainText('Endringer lagres på denne maskinen og sendes når nettet er tilbake');
  await screenshots(page, 'offline-note-waiting');

  await devHost.startJournal();
  await expect(item.getByTestId('sync-state')).toHaveAttribute('data-state', 'synced', { timeout: 90_000 });
  await expect(banner).toHaveCount(0);
  const notes = (await journalNotes(devHost, patientId)).filter((note) => note.id === noteId || JSON.stringify(note).includes('Sannsynlig viral øvre luftveisinfeksjon.'));
  expect(notes.map((note) => note.id)).toEqual([noteId]);
  const provenances = ((await devHost.readJournal(`Provenance?target=Composition/${noteId}`)) as Bundle).entry ?? [];
  expect(provenances).toHaveLength(1);
});

test('a crash while typing loses at most the last 2 seconds: after a restart the draft is offered back, on the worklist and in the chart', async ({ page, devHost }) => {
  await page.setViewportSize(VIEWPORTS[0]);
  await page.goto(devHost.launchUrl);
  await logIn(page, null);
  const { nationalId } = await pickGpPatient(page, 2);
  await page.keyboard.press('Control+k');
  await page.keyboard.type(nationalId.replace(' ', ''));
  await expect(page.getByRole('listbox', { name: 'Søketreff' }).getByRole('option').first()).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('chart')).toBeVisible();
  await page.keyboard.press('Control+n');
  await expect(page.getByTestId('note-editor')).toBeVisible();
  await page.getByLabel('Anamnese').click();
  // Typed steadily; what was typed more than 2 s before the crash must survive it.
  const words = Array.from({ length: 40 }, (_, i) => `ord${i}`);
  const typedAt: { text: string; at: number }[] = [];
  let text = '';
  for (const word of words) {
    await page.keyboard.type(`${word} `, { delay: 10 });
    text += `${word} `;
    typedAt.push({ text, at: Date.now() });
  }
  const crashAt = Date.now();
  const launchUrl = await devHost.crashAndRestart();
  const mustHave = [...typedAt].reverse().find((entry) => entry.at <= crashAt - 2_000)?.text ?? '';
  expect(mustHave.length).toBeGreaterThan(20);

  await logIn(page, launchUrl);
  await expect(page.getByTestId('unsigned-drafts')).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('unsigned-drafts').getByRole('button').first().click();
  await expect(page.getByTestId('draft-notice')).toBeVisible();
  await page.getByRole('button', { name: 'Fortsett utkastet' }).first().click();
  const kept = await page.getByLabel('Anamnese').inputValue();
  expect(kept.startsWith(mustHave.trimEnd())).toBe(true);
  expect(text.startsWith(kept.trimEnd())).toBe(true);
});

test('a signed note is corrected by a new signed note: both are in the journal and signed, the original stays and is marked', async ({ page, devHost }) => {
  await page.setViewportSize(VIEWPORTS[0]);
  await page.goto(devHost.launchUrl);
  await logIn(page, null);
  const { nationalId } = await pickGpPatient(page, 3);
  const { patientId, noteId } = await writeAndSign(page, new Effort(page), nationalId);
  const original = page.locator(`[data-testid="timeline-item"][data-key="Composition/${noteId}"]`);
  await original.click();
  await page.getByTestId('correct-note').click();
  const editor = page.getByTestId('note-editor');
  await expect(editor).toContainText('Rettelse av');
  await expect(page.getByLabel('Vurdering')).toHaveValue('Sannsynlig viral øvre luftveisinfeksjon.');
  await page.getByLabel('Hva rettes, og hvorfor').fill('Feil side: funnet gjelder venstre tonsille.');
  await page.getByLabel('Funn').fill('Rød svelg, belegg på venstre tonsille.');
  await page.keyboard.press('Control+Enter');
  const dialog = page.getByRole('dialog', { name: 'Signer notatet' });
  await dialog.getByLabel('PIN-kode').fill('123456');
  await page.keyboard.press('Enter');
  await expect(dialog).toHaveCount(0);
  await expect(original.getByTestId('corrected-badge')).toBeVisible();
  await expect(original).toBeVisible();
  const correction = page.locator('[data-testid="timeline-item"][data-kind="note"]').filter({ hasText: 'Rettelse' }).first();
  await expect(correction.getByTestId('sync-state')).toHaveAttribute('data-state', 'synced', { timeout: 30_000 });
  await original.click();
  await expect(page.getByTestId('corrected-notice')).toContainText('Rettet av');
  await screenshots(page, 'corrected-note');

  const notes = await journalNotes(devHost, patientId);
  const first = notes.find((note) => note.id === noteId);
  const second = notes.find((note) => JSON.stringify(note.relatesTo ?? []).includes(`Composition/${noteId}`));
  expect(first).toBeDefined();
  expect(JSON.stringify(first)).toContain('Rød svelg, ingen belegg.');
  expect(second?.title).toBe(`Rettelse: ${String(first?.title)}`);
  expect(first?.title).toBe('Konsultasjon: Akutt øvre luftveisinfeksjon');
  expect(JSON.stringify(second)).toContain('Feil side: funnet gjelder venstre tonsille.');
  for (const note of [first, second]) {
    const provenances = ((await devHost.readJournal(`Provenance?target=Composition/${String(note?.id)}`)) as Bundle).entry ?? [];
    expect(provenances).toHaveLength(1);
    expect(opensslVerifies(devHost, note ?? {}, provenances[0]?.resource ?? {}).ok).toBe(true);
  }
});
