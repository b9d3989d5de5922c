import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, strFromU8 } from 'fflate';
import { afterEach, describe, expect, it } from 'vitest';
import { exportLogs } from './log-export';
import { LOG_FILE_PATTERN, openLogFile } from './log-file';
import { createLogger } from './logger';

const folders: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'akson-logs-'));
  folders.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of folders.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
});

const DAY = 24 * 60 * 60 * 1000;
const closed = (stream: { end(): void; once(event: 'close', cb: () => void): unknown }) =>
  new Promise<void>((resolve) => {
    stream.once('close', resolve);
    stream.end();
  });
const flushed = (stream: { flush(cb: (err?: Error) => void): void }) => new Promise<void>((resolve) => stream.flush(() => resolve()));

describe('log file', () => {
  it('rolls over at the size limit and keeps only the newest files', async () => {
    const dir = tempDir();
    const stream = await openLogFile({ dir, size: '2k', keepFiles: 2 });
    const log = createLogger({ name: 'test', destination: stream });
    for (let i = 0; i < 60; i += 1) {
      log.info({ count: i, call: 'x'.repeat(80) }, 'filler');
      await flushed(stream);
      await new Promise((resolve) => setImmediate(resolve));
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    await closed(stream);
    const files = readdirSync(dir).filter((name) => LOG_FILE_PATTERN.test(name));
    expect(files.length).toBeGreaterThan(1);
    expect(files.length).toBeLessThanOrEqual(3);
  });

  it('deletes files older than the age limit when it opens', async () => {
    const dir = tempDir();
    const old = join(dir, 'akson.2026-01-01.1.log');
    writeFileSync(old, '{}\n');
    utimesSync(old, new Date(Date.now() - 30 * DAY), new Date(Date.now() - 30 * DAY));
    await closed(await openLogFile({ dir, maxAgeDays: 14 }));
    expect(readdirSync(dir)).not.toContain('akson.2026-01-01.1.log');
  });
});

describe('log export', () => {
  it('zips the last days of log files with a README and leaves older ones out', async () => {
    const logDir = tempDir();
    const targetDir = join(tempDir(), 'exports');
    writeFileSync(join(logDir, 'akson.2026-12-01.1.log'), '{"msg":"recent"}\n');
    const old = join(logDir, 'akson.2026-11-01.1.log');
    writeFileSync(old, '{"msg":"old"}\n');
    utimesSync(old, new Date(Date.now() - 20 * DAY), new Date(Date.now() - 20 * DAY));
    writeFileSync(join(logDir, 'unrelated.txt'), 'not a log');

    const result = await exportLogs({ logDir, targetDir, days: 7, about: { name: 'Akson', version: '1.2.3', mode: 'dev-host' } });

    expect(result.files).toBe(1);
    const entries = unzipSync(readFileSync(result.path));
    expect(Object.keys(entries).sort()).toEqual(['README.txt', 'logs/akson.2026-12-01.1.log']);
    expect(strFromU8(entries['logs/akson.2026-12-01.1.log'] ?? new Uint8Array())).toContain('recent');
    expect(strFromU8(entries['README.txt'] ?? new Uint8Array())).toContain('Akson 1.2.3');
  });
});
