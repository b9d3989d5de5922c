// pino-roll has no types of its own; every tsconfig that compiles this file needs the declaration.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./pino-roll.d.ts" />
import { mkdir, readdir, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import pinoRoll from 'pino-roll';
import type SonicBoom from 'sonic-boom';

/** The log files' names: `akson.<yyyy-MM-dd>.<n>.log` in the logs folder. */
export const LOG_FILE_PATTERN = /^akson\.\d{4}-\d{2}-\d{2}\.\d+\.log$/;

export interface LogFileOptions {
  /** The logs folder (under the user data folder). */
  dir: string;
  /** Size at which a file is rolled over (pino-roll units: `5m`, `500k`). */
  size?: string;
  /** How many rolled files are kept beside the current one. */
  keepFiles?: number;
  /** Files last written longer ago than this are deleted when the log opens. */
  maxAgeDays?: number;
  now?: () => Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The log files of the folder, newest first. */
export const listLogFiles = async (dir: string): Promise<Array<{ path: string; name: string; mtimeMs: number; size: number }>> => {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const files = await Promise.all(
    names
      .filter((name) => LOG_FILE_PATTERN.test(name))
      .map(async (name) => {
        const path = join(dir, name);
        const info = await stat(path);
        return { path, name, mtimeMs: info.mtimeMs, size: info.size };
      }),
  );
  return files.sort((a, b) => b.mtimeMs - a.mtimeMs);
};

/** Deletes log files older than `maxAgeDays`; answers how many went. */
export const pruneOldLogs = async (dir: string, maxAgeDays: number, now: Date = new Date()): Promise<number> => {
  const cutoff = now.getTime() - maxAgeDays * DAY_MS;
  let removed = 0;
  for (const file of await listLogFiles(dir)) {
    if (file.mtimeMs < cutoff) {
      await unlink(file.path).catch(() => undefined);
      removed += 1;
    }
  }
  return removed;
};

/**
 * The rotating log file: a new file each day and whenever one reaches `size`, at most
 * `keepFiles` + 1 files and none older than `maxAgeDays`: bounded in bytes and in time.
 */
export const openLogFile = async ({ dir, size = '5m', keepFiles = 20, maxAgeDays = 14, now = () => new Date() }: LogFileOptions): Promise<SonicBoom> => {
  await mkdir(dir, { recursive: true });
  await pruneOldLogs(dir, maxAgeDays, now());
  const stream = await pinoRoll({
    file: join(dir, 'akson'),
    extension: '.log',
    size,
    frequency: 'daily',
    dateFormat: 'yyyy-MM-dd',
    mkdir: true,
    limit: { count: keepFiles, removeOtherLogFiles: true },
  });
  // The file is open before the first line is written: a log that can not be opened fails here, at start.
  // SonicBoom's types leave out `fd` (-1 until the file is open).
  if ((stream as unknown as { fd: number }).fd < 0) {
    await new Promise<void>((resolve, reject) => {
      stream.once('ready', resolve);
      stream.once('error', reject);
    });
  }
  return stream;
};
