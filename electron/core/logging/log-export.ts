import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { listLogFiles } from './log-file';

export interface LogExportOptions {
  /** The logs folder. */
  logDir: string;
  /** Where the zip goes (created if missing). */
  targetDir: string;
  /** The last this many days of logs (by when a file was last written). */
  days: number;
  /** Written into the zip's README so support knows which build and PC it came from. */
  about: { name: string; version: string; mode: string };
  now?: Date;
}

export interface LogExport {
  path: string;
  files: number;
  bytes: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
/** Never more than this into one export (the files are bounded anyway: 21 x 5 MB). */
const MAX_INPUT_BYTES = 200 * 1024 * 1024;

const stamp = (date: Date): string => date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z').replace('T', '-');

/**
 * "Export logs for support": the last days' log files as one zip, as they are on disk. They were
 * redacted when written (redact.ts), so nothing is filtered here and nothing needs to be.
 */
export const exportLogs = async ({ logDir, targetDir, days, about, now = new Date() }: LogExportOptions): Promise<LogExport> => {
  const cutoff = now.getTime() - days * DAY_MS;
  const entries: Zippable = {};
  let files = 0;
  let total = 0;
  for (const file of await listLogFiles(logDir)) {
    if (file.mtimeMs < cutoff || total + file.size > MAX_INPUT_BYTES) {
      continue;
    }
    entries[`logs/${file.name}`] = [await readFile(file.path), { mtime: new Date(file.mtimeMs) }];
    files += 1;
    total += file.size;
  }
  entries['README.txt'] = strToU8(
    [
      `${about.name} ${about.version} (${about.mode}): log export ${now.toISOString()}`,
      `The last ${days} day(s): ${files} file(s), one JSON line per event.`,
      'Written without patient data: names, identifiers, free text, tokens and PINs are left out when a line is written.',
      '',
    ].join('\r\n'),
  );
  await mkdir(targetDir, { recursive: true });
  const path = join(targetDir, `akson-logs-${stamp(now)}.zip`);
  const zipped = zipSync(entries, { level: 6 });
  await writeFile(path, zipped);
  return { path, files, bytes: zipped.byteLength };
};
