import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { FileKeyStore, openCache, type FhirResource, type OfflineCache } from '../../electron/core/cache';
import { createLogger } from '../../electron/core/logging/logger';
import { cacheRootFor } from '../../electron/core/sync/offline-workspace';
import { startDevHost } from '../../electron/host/dev-host';
import { chromiumArgs, chromiumExecutable } from '../../e2e/chromium';
import { openPolicy } from '../../server/pipeline/access-policy';
import { databaseAuditWriter } from '../../server/pipeline/audit-writer';
import { createJournal } from '../../server/pipeline/journal';
import { systemPrincipal } from '../../server/pipeline/principal';
import { seedJournal } from '../../server/seed/seed-journal';
import { removeDir, startSyncJournal, startWorkstation } from '../integration/sync-harness';
import { syntheticPatients } from './synthetic-patients';
import { ms, summarise, type Latency } from './timing';

/**
 * `npm run bench:ui`: the journal UI in Chromium (Debian's, through Playwright) over the real dev
 * host, core, encrypted cache and journal server, on this machine:
 *
 * 1. search: keystroke to results painted, typing names and national ids, with 100,000 patients
 *    in the cache (the cache's answer; the journal's merge follows it);
 * 2. chart: patient chosen to banner + all five sections painted, for the largest 15-year charts,
 *    from the cache, and cold (pulled from the journal first);
 * 3. first paint after start and the JavaScript shipped before login.
 *
 * Times are measured inside the page: from the keydown / pointerdown event to the animation frame
 * after the DOM showed the answer (a MutationObserver marks it), so Playwright's own round trips
 * are not counted.
 */
const NOW = new Date();
const HISTORY_PATIENTS = Number(process.env.BENCH_UI_HISTORY_PATIENTS ?? 60);
const PROFILE_FILE = process.env.BENCH_UI_PROFILE;
/** BENCH_UI_TRACE=<file>: a Chrome trace (style, layout, paint per key) of the first round's typing. */
const TRACE_FILE = process.env.BENCH_UI_TRACE;
const CACHED_PATIENTS = Number(process.env.BENCH_UI_SEARCH_PATIENTS ?? 100_000);
const progress = (message: string): void => void process.stderr.write(`bench:ui ${message}\n`);

/**
 * In the page (as source text: this file is type-checked for Node, not the DOM): the time from
 * the last keydown/pointerdown to the frame after the condition `done` first held.
 */
const PROBE = `
  window.__akson = {
    start: 0,
    wait: (check) => new Promise((resolve) => {
      const finish = () => requestAnimationFrame(() => setTimeout(() => resolve(performance.now() - window.__akson.start), 0));
      if (check()) { finish(); return; }
      // A text field's value is not a DOM mutation: its input event (seen after the app's own
      // handlers, at the window) re-checks too.
      let done = false;
      const recheck = () => { if (!done && check()) { done = true; observer.disconnect(); window.removeEventListener('input', recheck); finish(); } };
      const observer = new MutationObserver(recheck);
      observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
      window.addEventListener('input', recheck);
    }),
  };
  // beforeinput too: a letter outside the US layout (å, ø, æ) arrives as inserted text, without keydown.
  for (const type of ['keydown', 'beforeinput', 'pointerdown']) {
    window.addEventListener(type, (event) => { window.__akson.start = event.timeStamp; }, { capture: true });
  }
`;

const installProbe = (page: Page) => page.addInitScript({ content: PROBE });

/** Starts waiting in the page for `done`; resolves with the milliseconds since the last input event. */
// The condition is compiled by the DevTools evaluation, not by eval in the page (the CSP forbids that).
const waitInPage = (page: Page, done: string): Promise<number> => {
  const waiting = Promise.race([
    page.evaluate<number>(`window.__akson.wait(() => (${done}))`),
    new Promise<number>((_resolve, reject) => setTimeout(() => reject(new Error(`the page did not show ${done} within 20 s`)), 20_000).unref()),
  ]);
  // A wait nobody collects (the browser closing after a failure) must not crash the run.
  waiting.catch(() => undefined);
  return waiting;
};

const searchQueries = (samples: readonly { family: string; given: string; nationalId: string }[]): string[] => {
  const typed: string[] = [];
  for (const sample of samples) {
    typed.push(sample.family.toLowerCase().slice(0, 5), `${sample.given.toLowerCase().slice(0, 3)} ${sample.family.toLowerCase().slice(0, 3)}`, sample.nationalId);
  }
  return typed;
};

/** Types `query` one key at a time; for each key, the time until the results for that prefix are painted. */
const typeAndTime = async (page: Page, query: string): Promise<number[]> => {
  const field = page.getByLabel('Søk pasient');
  await field.fill('');
  const times: number[] = [];
  for (let i = 1; i <= query.length; i += 1) {
    const prefix = query.slice(0, i);
    const waiting = waitInPage(
      page,
      `document.querySelector('[data-testid="search-results"]')?.getAttribute('data-query') === ${JSON.stringify(prefix.trim())} || document.querySelector('[role="alert"]') !== null`,
    );
    await page.keyboard.type(query[i - 1] ?? '');
    if (prefix.trim() !== '') {
      times.push(await waiting);
    }
  }
  return times;
};

const SECTIONS = ['patient-banner', 'section-critical', 'section-problems', 'section-medications', 'section-journal', 'section-labs'];
const chartPainted = (patientId: string): string =>
  `document.querySelector('[data-testid="chart"][data-patient-id="${patientId}"]') !== null && ${SECTIONS.map((id) => `document.querySelector('[data-testid="${id}"]') !== null`).join(' && ')}`;

/** Opens a patient from the search (national id, Enter) and times choosing to the whole chart painted. */
const openAndTime = async (page: Page, patientId: string, nationalId: string): Promise<number> => {
  const field = page.getByLabel('Søk pasient');
  await page.keyboard.press('Control+k');
  await field.fill(nationalId);

  // A function, not a string: the page's CSP forbids evaluating strings there.
  await page.waitForFunction((id) => {
    const results = (globalThis as unknown as { document: { querySelector(selector: string): { getAttribute(name: string): string | null } | null } }).document.querySelector('[data-testid="search-results"]');
    return results?.getAttribute('data-query') === id && results.getAttribute('data-journal') !== 'not-asked';
  }, nationalId);
  const hits = Number(await page.getByTestId('search-results').getAttribute('data-count'));
  if (hits !== 1) {
    throw new Error(`the search for ${patientId}'s national id found ${hits} patients, not 1`);
  }
  const waiting = waitInPage(page, chartPainted(patientId));
  await page.keyboard.press('Enter');
  const elapsed = await waiting;
  await page.getByTestId('close-patient').click();
  return elapsed;
};

const line = (label: string, latency: Latency, goal = ''): string =>
  `   ${label.padEnd(52)} p50 ${ms(latency.p50).padStart(10)}  p95 ${ms(latency.p95).padStart(10)}  max ${ms(latency.max).padStart(10)}  (n=${latency.count})${goal}`;

const main = async (): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'akson-bench-ui-'));
  const closers: (() => Promise<void>)[] = [];
  const opened: OfflineCache[] = [];
  try {
    const log = createLogger({ name: 'bench-ui', level: 'silent' });
    const journal = await startSyncJournal(dir, { dataDir: join(dir, 'pglite') });
    closers.push(() => journal.close());
    progress(`seeding ${HISTORY_PATIENTS} patients with their full history into the journal …`);
    const seeder = createJournal({ store: journal.store, policy: openPolicy, audit: databaseAuditWriter(journal.database) }).as(systemPrincipal('bench'));
    await seedJournal(seeder, { patients: HISTORY_PATIENTS, seed: 7, now: NOW });
    const sizes = await journal.database.query<{ patient: string; n: number; nid: string }>(
      `SELECT p.id AS patient, p.content->'identifier'->0->>'value' AS nid,
              (SELECT count(*)::int FROM search_reference r WHERE r.target_type = 'Patient' AND r.target_id = p.id AND r.param = 'patient') AS n
       FROM resource p WHERE p.resource_type = 'Patient' ORDER BY n DESC`,
    );
    const largest = sizes.rows.slice(0, 10);
    const cold = sizes.rows.slice(10, 20);
    progress(`largest charts: ${largest.map((row) => row.n).join(', ')} resources`);

    const ws = await startWorkstation(journal.url, journal.pki, join(dir, 'ws'));
    closers.push(() => ws.close());
    const card = ws.core.session.activeCard();
    if (!card) {
      throw new Error('no card after login');
    }
    // The largest charts into the cache through the contract (the pull the chart does), the rest cold.
    for (const row of largest) {
      await ws.call('chart.open', { patientId: row.patient });
    }
    progress(`putting ${CACHED_PATIENTS} synthetic patients into the cache …`);
    const side = openCache({ root: cacheRootFor(ws.dataDir, journal.url), clinicianHpr: journal.pki.demoCard.hpr, card, keyStore: new FileKeyStore(ws.dataDir), log }).cache;
    opened.push(side);
    const samples: { family: string; given: string; nationalId: string }[] = [];
    let batch: FhirResource[] = [];
    // The two generators draw national ids independently: a synthetic one equal to a journal
    // patient's would be a second person with the same number, which the journal never holds.
    const journalIds = new Set(sizes.rows.map((row) => row.nid));
    for (const patient of syntheticPatients(CACHED_PATIENTS, 4242, NOW)) {
      if (journalIds.has(patient.nationalId)) {
        continue;
      }
      batch.push(patient.resource);
      if (samples.length < 40 && batch.length % 50 === 0) {
        samples.push({ family: patient.family, given: patient.given, nationalId: patient.nationalId });
      }
      if (batch.length >= 2_000) {
        side.putResources(batch);
        batch = [];
      }
    }
    side.putResources(batch);

    const host = await startDevHost({ core: ws.core, rendererDir: resolve('dist/renderer'), log });
    closers.push(() => host.close());
    const browser = await chromium.launch({ executablePath: chromiumExecutable, args: chromiumArgs });
    closers.push(() => browser.close());
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    const page = await context.newPage();
    page.on('crash', () => progress('the page crashed'));
    page.on('pageerror', (error) => progress(`page error: ${error.message}`));
    await installProbe(page);

    // ---- 3. first paint and what loads before login (the session is already active here, so
    // measure the login screen in a second, logged-out page load of the same build) ------------
    await page.goto(host.launchUrl);
    await page.getByLabel('Søk pasient').waitFor();
    const paint = await page.evaluate<number>(`performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN`);
    const scripts = await page.evaluate<{ name: string; bytes: number }[]>(
      `performance.getEntriesByType('resource').filter((entry) => entry.name.endsWith('.js')).map((entry) => ({ name: entry.name.split('/').pop(), bytes: entry.encodedBodySize }))`,
    );

    // ---- 1. search as you type over 100,000 cached patients ----------------------------------
    const queries = searchQueries(samples);
    progress(`typing ${queries.length} queries (${queries.join('').length} keystrokes) …`);
    await typeAndTime(page, queries[0] ?? 'a');
    const keystrokes: number[] = [];
    for (const query of queries) {
      keystrokes.push(...(await typeAndTime(page, query)));
    }
    await page.getByLabel('Søk pasient').fill('');
    await page.keyboard.press('Escape');

    // ---- 2. the whole chart painted ------------------------------------------------------------
    progress('opening the largest charts from the cache, and cold ones from the journal …');
    const warm: number[] = [];
    for (let pass = 0; pass < 3; pass += 1) {
      for (const row of largest) {
        warm.push(await openAndTime(page, row.patient, row.nid));
      }
    }
    const coldTimes: number[] = [];
    for (const row of cold) {
      coldTimes.push(await openAndTime(page, row.patient, row.nid));
    }

    // ---- 3. writing and signing a note -----------------------------------------------------------
    progress('typing a note with autosave running, and signing it (Ctrl+Enter, PIN) …');
    const notePatient = largest[0];
    const typing: number[] = [];
    const signing: number[] = [];
    if (notePatient) {
      for (let round = 0; round < 5; round += 1) {
        await page.keyboard.press('Control+k');
        await page.getByLabel('Søk pasient').fill(notePatient.nid);
        await page.waitForFunction((id) => (globalThis as unknown as { document: { querySelector(s: string): { getAttribute(n: string): string | null } | null } }).document.querySelector('[data-testid="search-results"]')?.getAttribute('data-query') === id, notePatient.nid);
        await page.keyboard.press('Enter');
        await page.getByTestId('chart').waitFor();
        await page.keyboard.press('Control+n');
        await page.getByLabel('Anamnese').click();
        const text = 'Hoste og sår hals i fem dager, ikke feber. Røyker ikke. ';
        // BENCH_UI_PROFILE=<file>: a CPU profile of the first round's typing, for DevTools.
        const profiler = round === 0 && PROFILE_FILE ? await page.context().newCDPSession(page) : undefined;
        await profiler?.send('Profiler.enable');
        await profiler?.send('Profiler.start');
        if (round === 0 && TRACE_FILE) {
          await browser.startTracing(page, { path: TRACE_FILE, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing'] });
        }
        for (const [index, char] of [...text].entries()) {
          const value = text.slice(0, index + 1);
          const waiting = waitInPage(page, `[...document.querySelectorAll('textarea')].some((t) => t.value === ${JSON.stringify(value)})`);
          await page.keyboard.type(char);
          typing.push(await waiting);
        }
        if (round === 0 && TRACE_FILE) {
          await browser.stopTracing();
          progress(`wrote the typing trace to ${TRACE_FILE}`);
        }
        if (profiler && PROFILE_FILE) {
          const { profile } = await profiler.send('Profiler.stop');
          writeFileSync(PROFILE_FILE, JSON.stringify(profile));
          progress(`wrote the typing profile to ${PROFILE_FILE}`);
        }
        await page.keyboard.press('Control+Enter');
        await page.getByLabel('PIN-kode').fill('123456');
        const before = await page.locator('[data-testid="timeline-item"][data-kind="note"] [data-testid="sync-state"]').count();
        const signed = waitInPage(page, `document.querySelectorAll('[data-testid="timeline-item"][data-kind="note"] [data-testid="sync-state"]').length > ${before}`);
        await page.keyboard.press('Enter');
        signing.push(await signed);
        await page.getByTestId('close-patient').click();
      }
    }

    // The floor: the same keys and the same probe on a bare textarea in the same browser. Key to
    // the frame after it is bounded below by the frame clock (a key waits for the next frame), so
    // the editor's figure is read against this one.
    progress('typing the same text into a bare textarea (the frame-clock floor) …');
    const floorPage = await context.newPage();
    await floorPage.setContent('<textarea aria-label="floor" rows="4" cols="60"></textarea>');
    await floorPage.evaluate(PROBE);
    await floorPage.getByLabel('floor').click();
    const floor: number[] = [];
    const floorText = 'Hoste og sår hals i fem dager, ikke feber. Røyker ikke. '.repeat(5);
    for (const [index, char] of [...floorText].entries()) {
      const waiting = waitInPage(floorPage, `document.querySelector('textarea').value === ${JSON.stringify(floorText.slice(0, index + 1))}`);
      await floorPage.keyboard.type(char);
      floor.push(await waiting);
    }
    await floorPage.close();

    const lines = [
      `bench:ui on this machine (Chromium ${browser.version()}, 1366x768), ${CACHED_PATIENTS.toLocaleString('en')} patients in the cache:`,
      line('search: keystroke -> results painted', summarise(keystrokes), '  (goal p95 < 100 ms)'),
      line(`chart from the cache (largest, ${largest[0]?.n ?? 0}-${largest.at(-1)?.n ?? 0} resources)`, summarise(warm), '  (goal p95 < 300 ms)'),
      line(`chart cold, pulled from the journal (${cold[0]?.n ?? 0}-${cold.at(-1)?.n ?? 0} resources)`, summarise(coldTimes)),
      line('note editor: keystroke -> painted, autosave running', summarise(typing), '  (goal p95 < 16 ms)'),
      line('   the same keys in a bare textarea (frame-clock floor)', summarise(floor)),
      line('sign: Enter on the PIN -> signed note in the timeline', summarise(signing), '  (goal p95 < 500 ms)'),
      `   first contentful paint after start                    ${ms(paint)}`,
      `   JavaScript before login: ${scripts.filter((s) => !/Workstation|LabTrend/.test(s.name)).map((s) => `${s.name} ${(s.bytes / 1024).toFixed(0)} kB`).join(', ')}`,
      `   JavaScript loaded after login: ${scripts.filter((s) => /Workstation|LabTrend/.test(s.name)).map((s) => `${s.name} ${(s.bytes / 1024).toFixed(0)} kB`).join(', ')}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    for (const cache of opened) {
      cache.close();
    }
    for (const close of closers.reverse()) {
      await close().catch(() => undefined);
    }
    removeDir(dir);
  }
};

main().catch((error: unknown) => {
  process.stderr.write(`bench:ui failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
