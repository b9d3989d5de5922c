import type { Bundle } from 'fhir/r4';
import type { PatientHit, PatientSearchOutput } from '../../../shared/contract/journal-ui';
import type { PatientQuery } from '../../../shared/patient-search/parse-patient-query';
import type { FhirResource } from '../cache';
import type { Outcome } from './journal-client';

/** A slow journal must never hold the answer to a keystroke: the cache answers, the journal joins within this. */
export const JOURNAL_SEARCH_TIMEOUT_MS = 1_500;

/**
 * The journal's FHIR search for a parsed query (server/README.md, "Search"): `identifier` as
 * system|value, `birthdate` as a day, and one `name` per part (each a prefix of a word of the
 * name; repeated parameters AND). Undefined when the journal can not answer it the way the cache
 * does (a number being typed: the journal has no prefix search on identifiers), or there is
 * nothing to ask.
 */
export const journalSearchParams = (query: PatientQuery, limit: number): [string, string][] | undefined => {
  const count: [string, string] = ['_count', String(limit)];
  switch (query.kind) {
    case 'nationalId':
      return [['identifier', `${query.system}|${query.value}`], count];
    case 'birthDate':
      return [['birthdate', query.date], count];
    case 'nameParts':
      return [...query.parts.map((part): [string, string] => ['name', part]), ...(query.birthDate ? [['birthdate', query.birthDate.date] as [string, string]] : []), count];
    case 'numberPrefix':
    case 'empty':
    case 'invalidNationalId':
      return undefined;
    default: {
      const unknown: never = query;
      throw new TypeError(`unknown query kind ${JSON.stringify(unknown)}`);
    }
  }
};

/** How the journal's answer is reported: unreachable is `offline` (keep working from the cache), a refusal or 5xx `failed`. */
export const journalState = (outcome: Outcome): PatientSearchOutput['journal'] => {
  if (outcome.kind === 'ok') {
    return 'answered';
  }
  return outcome.kind === 'retry' && (outcome.reason === 'network' || outcome.reason === 'timeout') ? 'offline' : 'failed';
};

/** The Patients of a search Bundle, in the journal's order (included resources and outcomes left out). */
export const patientsOf = (body: unknown): FhirResource[] =>
  ((body as Bundle | undefined)?.entry ?? [])
    .map((entry) => entry.resource as FhirResource | undefined)
    .filter((resource): resource is FhirResource => resource?.resourceType === 'Patient' && typeof resource.id === 'string');

/**
 * Cache hits first (they open at once), marked `both` when the journal found them too; then the
 * journal's own, which chart.open pulls when opened. De-duplicated by id, at most `limit`.
 */
export const mergeHits = (cached: readonly FhirResource[], journal: readonly FhirResource[], limit: number): PatientHit[] => {
  const inJournal = new Set(journal.map((patient) => patient.id));
  const seen = new Set<string | undefined>();
  const hits: PatientHit[] = [];
  for (const patient of cached) {
    if (!seen.has(patient.id)) {
      seen.add(patient.id);
      hits.push({ patient, source: inJournal.has(patient.id) ? 'both' : 'cache' });
    }
  }
  for (const patient of journal) {
    if (!seen.has(patient.id)) {
      seen.add(patient.id);
      hits.push({ patient, source: 'journal' });
    }
  }
  return hits.slice(0, limit);
};
