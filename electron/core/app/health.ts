import type { HealthProblem, SettingsNotice, UnsentWork } from '../../../shared/contract';

export interface HealthSources {
  notices: () => SettingsNotice[];
  journalUrl: () => string | undefined;
  cardModuleProblem: () => { modulePath: string } | undefined;
  /** The clinician's cache that did not open at login: its CacheError code and what is known of its unsent changes. */
  cacheFailure: () => { code: string; unsent: UnsentWork } | undefined;
  /** No journal was named and the embedded demo journal did not start (main tried it). */
  demoJournalFailed?: boolean;
  fetchImpl?: typeof fetch;
  /** How long the journal probe may take; no answer is "offline", not "wrong". */
  probeTimeoutMs?: number;
}

/**
 * Does the journal URL lead to a journal? Only an answer that is not a FHIR server's counts as
 * wrong; a network error is being offline, which the workstation is built to work through.
 */
const journalLooksWrong = async (journalUrl: string, fetchImpl: typeof fetch, timeoutMs: number): Promise<boolean> => {
  let response: Response;
  try {
    response = await fetchImpl(`${journalUrl}/fhir/metadata`, { headers: { accept: 'application/fhir+json' }, signal: AbortSignal.timeout(timeoutMs) });
  } catch {
    return false;
  }
  if (response.status >= 500) {
    return false;
  }
  try {
    const body = (await response.json()) as { resourceType?: unknown };
    // A journal that wants a login for its metadata still answers as a FHIR server.
    const fhirRefusal = body.resourceType === 'OperationOutcome' && (response.status === 401 || response.status === 403);
    return body.resourceType !== 'CapabilityStatement' && !fhirRefusal;
  } catch {
    return true;
  }
};

/** What the failure screen shows: every problem found now, in a fixed order. */
export const checkHealth = async ({ notices, journalUrl, cardModuleProblem, cacheFailure, demoJournalFailed = false, fetchImpl = fetch, probeTimeoutMs = 3_000 }: HealthSources): Promise<HealthProblem[]> => {
  const problems: HealthProblem[] = [];
  for (const notice of notices()) {
    switch (notice.kind) {
      case 'user-file-set-aside':
        problems.push({ kind: 'settings-set-aside', setAsidePath: notice.setAsidePath });
        break;
      case 'machine-file-invalid':
        problems.push({ kind: 'machine-settings-invalid', path: notice.path });
        break;
      default: {
        const never: never = notice;
        throw new Error(`unknown notice ${JSON.stringify(never)}`);
      }
    }
  }
  const url = journalUrl();
  if (!url) {
    problems.push({ kind: demoJournalFailed ? 'demo-journal-failed' : 'journal-not-configured' });
  } else if (await journalLooksWrong(url, fetchImpl, probeTimeoutMs)) {
    problems.push({ kind: 'journal-url-wrong', journalUrl: url });
  }
  const card = cardModuleProblem();
  if (card) {
    problems.push({ kind: 'card-module-failed', modulePath: card.modulePath });
  }
  const cache = cacheFailure();
  if (cache) {
    problems.push({ kind: 'cache-unavailable', code: cache.code, unsent: cache.unsent });
  }
  return problems;
};
