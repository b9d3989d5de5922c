import type { JournalSession } from '../pipeline/journal';
import { HPR_SYSTEM } from './systems';
import { isDischargeLetter, signLetter, type HospitalLetterSigner } from './hospital-signatures';
import { generatePopulation, type PopulationOptions, type SeedResource } from './population';

export interface SeedReport {
  patients: number;
  resources: number;
  /** discharge letters signed (each with its Provenance among the resources) */
  signatures: number;
  milliseconds: number;
}

export interface SeedExtras {
  onProgress?: (report: SeedReport) => void;
  /** Signs the hospital's discharge letters; without it they are stored unsigned. */
  hospitalSigner?: HospitalLetterSigner;
}

/** Resources per import transaction: large enough to amortise round trips, small enough to stay light. */
const BATCH = 2_000;

/**
 * Writes the synthetic population into the journal through the same pipeline as every other
 * write (validated, authorised, audited), in batches. Deterministic for the same options; with a
 * hospital signer, each discharge letter is followed by the Provenance carrying its signature,
 * whose bytes are the same too when the signer's key is (RSA PKCS#1 v1.5 and the signing time,
 * the letter's own, leave nothing to chance).
 */
export const seedJournal = async (session: JournalSession, options: PopulationOptions, extras: SeedExtras = {}): Promise<SeedReport> => {
  const { onProgress, hospitalSigner } = extras;
  const started = performance.now();
  let pending: unknown[] = [];
  let resources = 0;
  let signatures = 0;
  let patients = -1;
  // Practitioner/<id> -> HPR number, from the organisation batch: who signs a letter, by certificate.
  const hpr = new Map<string, string>();
  const flush = async (): Promise<void> => {
    resources += await session.importResources(pending);
    pending = [];
  };
  const report = (): SeedReport => ({ patients: Math.max(patients, 0), resources, signatures, milliseconds: performance.now() - started });
  for (const batch of generatePopulation(options)) {
    patients += 1;
    for (const resource of batch) {
      pending.push(resource);
      remember(hpr, resource);
      if (hospitalSigner !== undefined && isDischargeLetter(resource)) {
        pending.push(signLetter(resource, (practitioner) => hpr.get(practitioner), hospitalSigner));
        signatures += 1;
      }
    }
    if (pending.length >= BATCH) {
      await flush();
      onProgress?.(report());
    }
  }
  await flush();
  return report();
};

const remember = (hpr: Map<string, string>, resource: SeedResource): void => {
  if (resource.resourceType === 'Practitioner') {
    const value = resource.identifier?.find((identifier) => identifier.system === HPR_SYSTEM)?.value;
    if (value !== undefined && resource.id !== undefined) {
      hpr.set(`Practitioner/${resource.id}`, value);
    }
  }
};
