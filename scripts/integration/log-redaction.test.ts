import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Composition, Patient } from 'fhir/r4';
import { afterAll, describe, expect, it } from 'vitest';
import { openLogFile } from '../../electron/core/logging/log-file';
import { createLogger } from '../../electron/core/logging/logger';
import { RendererLog } from '../../electron/core/logging/renderer-log';
import { generatePopulation } from '../../server/seed';

/**
 * The log file's bytes after seeded patients went into log calls every way a careless caller
 * could put them: as fields at several depths, inside arrays, as Error messages and causes, as
 * interpolation arguments, in child bindings and through the renderer's log.write.
 */
const dir = mkdtempSync(join(tmpdir(), 'akson-log-redaction-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const seeded = [...generatePopulation({ patients: 12, seed: 7, now: new Date('2026-11-30T12:00:00Z') })].flat();
const patients = seeded.filter((r): r is Patient & { resourceType: 'Patient' } => r.resourceType === 'Patient');
const notes = seeded.filter((r): r is Composition & { resourceType: 'Composition' } => r.resourceType === 'Composition');
const JWT = 'eyJhbGciOiJFUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJQcmFjdGl0aW9uZXIvNDIifQ.MEUCIQDx0sig';

const secretsOf = (patient: Patient): string[] => {
  const name = patient.name?.[0];
  const given = name?.given ?? [];
  const fullName = [...given, name?.family ?? ''].join(' ');
  const id = patient.identifier?.[0]?.value ?? '';
  return [fullName, name?.family ?? '', ...given.filter((g) => g.length >= 4), id].filter((s) => s.length > 0);
};

describe('log redaction on disk', () => {
  it("leaves no seeded patient's name or national id, no note text, no token and no PIN in the file", async () => {
    expect(patients.length).toBe(12);
    const stream = await openLogFile({ dir });
    const log = createLogger({ name: 'redaction-test', level: 'debug', destination: stream, version: '9.9.9' });
    const renderer = new RendererLog({ log, burst: 1000 });
    for (const patient of patients) {
      const [fullName = '', , , id = ''] = secretsOf(patient);
      const nationalId = patient.identifier?.[0]?.value ?? '';
      log.info({ patient }, 'patient as a field');
      log.info({ call: 'chart.open', context: { patient: { name: fullName, deeper: { deepest: [{ nationalId }] } } } }, 'deep');
      log.warn({ status: fullName, code: nationalId, resourceType: `Patient/${nationalId}`, issues: `name ${fullName} ${nationalId}` }, 'values under safe keys');
      log.error(new Error(`could not open ${fullName} (${nationalId})`, { cause: new Error(`token ${JWT} pin 4821`) }));
      log.error({ err: new TypeError(`${fullName} ${id}`), count: 1 }, 'error under err');
      log.info(`opened ${nationalId} with Bearer ${JWT}`);
      log.info('opened %s %s', fullName, nationalId);
      log.child({ patientName: fullName, call: 'x' }).child({ correlationId: nationalId }).info({ pin: '4821', token: JWT }, 'child');
      renderer.write({ level: 'error', message: 'render failed', error: { name: 'Error', stack: `Error: ${fullName} ${nationalId}\n    at Chart (app://akson/assets/index.js:1:99)` } });
    }
    for (const note of notes.slice(0, 10)) {
      log.info({ note, text: note.section?.[0]?.text?.div, resource: note }, 'note');
    }
    await new Promise<void>((resolve) => {
      stream.once('close', resolve);
      stream.end();
    });

    const files = readdirSync(dir).filter((name) => name.endsWith('.log'));
    expect(files.length).toBeGreaterThan(0);
    const bytes = files.map((name) => readFileSync(join(dir, name), 'utf8')).join('');
    expect(bytes.split('\n').filter(Boolean).length).toBeGreaterThanOrEqual(patients.length * 9);

    const leaks = patients.flatMap(secretsOf).filter((secret) => bytes.includes(secret));
    expect(leaks).toEqual([]);
    expect(bytes).not.toMatch(/\d{11}/);
    expect(bytes).not.toContain(JWT);
    expect(bytes).not.toContain('4821');
    for (const note of notes.slice(0, 10)) {
      const words = (note.section?.[0]?.text?.div ?? '').replace(/<[^>]+>/g, ' ').split(/\s+/).filter((w) => w.length >= 8);
      expect(words.filter((w) => bytes.includes(w))).toEqual([]);
    }
    // What support needs is still there.
    expect(bytes).toContain('"version":"9.9.9"');
    expect(bytes).toContain('"call":"chart.open"');
    expect(bytes).toContain('Chart (app://akson/assets/index.js:1:99)');
  });
});
