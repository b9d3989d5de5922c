import { closeSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** PGlite does not lock its folder; two processes on one folder would corrupt it. This does. */
export const LOCK_FILE = 'akson-server.lock';

export class DataDirLockedError extends Error {
  override readonly name = 'DataDirLockedError';
}

export interface DataDirLock {
  release(): void;
}

const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else; still running.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Lock files this process holds, so a stale lock carrying our own pid (a restarted container's PID 1) is told apart. */
const heldHere = new Set<string>();

const pause = (ms: number): void => {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
};

/**
 * Takes the folder's lock file (created with O_EXCL, holding our pid). A lock left by a process
 * that no longer runs is stale and taken over: renamed aside atomically (only one contender can
 * rename it), checked to be the stale one, then replaced. One held by a running process is an error.
 */
export const acquireDataDirLock = (dataDir: string): DataDirLock => {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 20; attempt += 1) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      heldHere.add(file);
      let released = false;
      return {
        release() {
          if (!released) {
            released = true;
            heldHere.delete(file);
            rmSync(file, { force: true });
          }
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
    }
    let content: string;
    try {
      content = readFileSync(file, 'utf8').trim();
    } catch {
      continue; // removed meanwhile: try again
    }
    if (content === '') {
      pause(25); // another process is between creating and writing it
      continue;
    }
    const holder = Number.parseInt(content, 10);
    if (holder === process.pid && heldHere.has(file)) {
      throw new DataDirLockedError(`The journal data folder ${dataDir} is already open in this process.`);
    }
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isRunning(holder)) {
      throw new DataDirLockedError(
        `The journal data folder ${dataDir} is in use by another server (process ${holder}). Stop that server first, or use another --data folder.`,
      );
    }
    const aside = `${file}.stale-${process.pid}-${attempt}`;
    try {
      renameSync(file, aside);
    } catch {
      continue; // someone else took it over first
    }
    if (readFileSync(aside, 'utf8').trim() !== content) {
      // We moved a fresh lock another contender had just written: put it back and look again.
      renameSync(aside, file);
      pause(25);
      continue;
    }
    rmSync(aside, { force: true });
  }
  throw new DataDirLockedError(`Could not take the lock on ${dataDir}; another process keeps taking it.`);
};
