import { join, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { demoJournalWorkerFile } from './demo-journal-file';

describe('the demo journal worker file', () => {
  it('is read from app.asar.unpacked in the packaged app', () => {
    const packaged = join(sep, 'Program Files', 'Akson', 'resources', 'app.asar', 'dist', 'electron');
    expect(demoJournalWorkerFile(packaged)).toBe(join(sep, 'Program Files', 'Akson', 'resources', 'app.asar.unpacked', 'dist', 'electron', 'demo-journal-worker.mjs'));
  });

  it('is beside main.cjs in a build run from the repository', () => {
    expect(demoJournalWorkerFile(join(sep, 'repo', 'dist', 'electron'))).toBe(join(sep, 'repo', 'dist', 'electron', 'demo-journal-worker.mjs'));
  });
});
