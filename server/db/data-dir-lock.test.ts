import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { acquireDataDirLock, DataDirLockedError, LOCK_FILE } from './data-dir-lock';
import { openPgliteDatabase } from './pglite-database';

const dirs: string[] = [];
const tempDir = (): string => {
  const dir = mkdtempSync(join(tmpdir(), 'akson-lock-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('journal data folder lock', () => {
  it('refuses a folder that another running process holds, naming the process', async () => {
    const dir = tempDir();
    const other = spawn('sleep', ['30']);
    try {
      writeFileSync(join(dir, LOCK_FILE), String(other.pid));
      expect(() => acquireDataDirLock(dir)).toThrow(DataDirLockedError);
      expect(() => acquireDataDirLock(dir)).toThrow(`process ${other.pid ?? ''}`);
    } finally {
      other.kill();
      await new Promise((resolve) => other.once('exit', resolve));
    }
    // The holder is gone: its lock is stale and is taken over.
    const lock = acquireDataDirLock(dir);
    lock.release();
  });

  it('takes over a stale lock that carries our own pid (a restarted container is PID 1 again)', () => {
    const dir = tempDir();
    writeFileSync(join(dir, LOCK_FILE), String(process.pid));
    const lock = acquireDataDirLock(dir);
    expect(() => acquireDataDirLock(dir)).toThrow(/already open in this process/);
    lock.release();
  });

  it('refuses a second open of the same folder in this process, and allows it after close', async () => {
    const dir = tempDir();
    const first = await openPgliteDatabase(dir);
    await expect(openPgliteDatabase(dir)).rejects.toThrow(/already open/);
    await first.close();
    const again = await openPgliteDatabase(dir);
    await again.close();
  });
});
