import type { JournalSession } from '../pipeline/journal';
import { generatePopulation, type PopulationOptions } from './population';

export interface SeedReport {
  patients: number;
  resources: number;
  milliseconds: number;
}

/** Resources per import transaction: large enough to amortise round trips, small enough to stay light. */
const BATCH = 2_000;

/**
 * Writes the synthetic population into the journal through the same pipeline as every other
 * write (validated, authorised, audited), in batches. Deterministic for the same options.
 */
export const seedJournal = async (
  session: JournalSession,
  options: PopulationOptions,
  onProgress?: (report: SeedReport) => void,
): Promise<SeedReport> => {
  const started = performance.now();
  let pending: unknown[] = [];
  let resources = 0;
  let patients = -1;
  const flush = async (): Promise<void> => {
    resources += await session.importResources(pending);
    pending = [];
  };
  for (const batch of generatePopulation(options)) {
    patients += 1;
    pending.push(...batch);
    if (pending.length >= BATCH) {
      await flush();
      onProgress?.({ patients, resources, milliseconds: performance.now() - started });
    }
  }
  await flush();
  return { patients: Math.max(patients, 0), resources, milliseconds: performance.now() - started };
};
