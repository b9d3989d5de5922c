import { useEffect, useState } from 'react';
import type { PatientHit, PatientSearchOutput } from '../../../shared/contract';
import { useContract } from '../contract/hooks';

export interface SearchState {
  query: string;
  hits: PatientHit[];
  journal: PatientSearchOutput['journal'];
  /** The journal's answer is still to come. */
  pending: boolean;
}

/** How long typing must pause before the journal is asked too (the cache answers every keystroke). */
export const JOURNAL_DELAY_MS = 200;

/**
 * Results as the clinician types: this PC's cache at once, then merged with the journal's own
 * search once typing pauses. An answer for an older query never replaces a newer one.
 */
export const usePatientSearch = (query: string, enabled: boolean, limit = 20): SearchState => {
  const client = useContract();
  const [state, setState] = useState<SearchState>({ query: '', hits: [], journal: 'not-asked', pending: false });
  const trimmed = query.trim();
  const idle = !enabled || trimmed === '';
  useEffect(() => {
    if (idle) {
      return undefined;
    }
    let current = true;
    client.call('patients.search', { query: trimmed, limit, scope: 'cache' }).then(
      (answer) => current && setState((previous) => (previous.query === trimmed && previous.journal !== 'not-asked' ? previous : { query: trimmed, hits: answer.hits, journal: 'not-asked', pending: true })),
      () => undefined,
    );
    const timer = setTimeout(() => {
      client.call('patients.search', { query: trimmed, limit, scope: 'all' }).then(
        (answer) => current && setState({ query: trimmed, hits: answer.hits, journal: answer.journal, pending: false }),
        () => current && setState((previous) => ({ ...previous, journal: 'failed', pending: false })),
      );
    }, JOURNAL_DELAY_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [client, trimmed, idle, limit]);
  return idle ? { query: trimmed, hits: [], journal: 'not-asked', pending: false } : state;
};
