import { join, sep } from 'node:path';

/**
 * The embedded demo journal's worker bundle beside main.cjs. In the packaged app it is read from
 * app.asar.unpacked (electron-builder.yml `asarUnpack`): a worker thread's loader and PGlite's own
 * reads of its WebAssembly beside it see real files there, whatever Electron's asar support covers.
 */
export const demoJournalWorkerFile = (mainDir: string): string =>
  join(mainDir, 'demo-journal-worker.mjs').replace(`${sep}app.asar${sep}`, `${sep}app.asar.unpacked${sep}`);
