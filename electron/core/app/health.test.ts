import { describe, expect, it } from 'vitest';
import { checkHealth, type HealthSources } from './health';

const answering = (status: number, body: unknown): typeof fetch => (() => Promise.resolve(new Response(JSON.stringify(body), { status })));

const sources = (over: Partial<HealthSources> = {}): HealthSources => ({
  notices: () => [],
  journalUrl: () => 'https://journal.example',
  cardModuleProblem: () => undefined,
  cacheFailure: () => undefined,
  fetchImpl: answering(200, { resourceType: 'CapabilityStatement' }),
  ...over,
});

describe('health', () => {
  it('finds nothing wrong with a journal that answers as one', async () => {
    await expect(checkHealth(sources())).resolves.toEqual([]);
  });

  it('calls a URL that answers, but not as a FHIR server, wrong', async () => {
    await expect(checkHealth(sources({ fetchImpl: answering(404, { error: 'no' }) }))).resolves.toEqual([{ kind: 'journal-url-wrong', journalUrl: 'https://journal.example' }]);
  });

  it('does not call an unreachable journal wrong (that is being offline)', async () => {
    const unreachable = (() => Promise.reject(new TypeError('fetch failed'))) as typeof fetch;
    await expect(checkHealth(sources({ fetchImpl: unreachable }))).resolves.toEqual([]);
  });

  it('lists a set-aside settings file, a missing journal, a card module that does not load and a cache that did not open', async () => {
    const problems = await checkHealth(
      sources({
        notices: () => [{ kind: 'user-file-set-aside', reason: 'corrupt', setAsidePath: '/u/settings.set-aside.json', at: '2026-12-02T10:00:00.000Z' }],
        journalUrl: () => undefined,
        cardModuleProblem: () => ({ modulePath: '/no/such.so' }),
        cacheFailure: () => ({ code: 'KEY_UNWRAP_FAILED', unsent: { state: 'unknown' } }),
      }),
    );
    expect(problems.map((p) => p.kind)).toEqual(['settings-set-aside', 'journal-not-configured', 'card-module-failed', 'cache-unavailable']);
    expect(problems.at(-1)).toEqual({ kind: 'cache-unavailable', code: 'KEY_UNWRAP_FAILED', unsent: { state: 'unknown' } });
  });

  it('says the demo journal did not start, rather than that no journal is set up, when main tried it', async () => {
    await expect(checkHealth(sources({ journalUrl: () => undefined, demoJournalFailed: true }))).resolves.toEqual([{ kind: 'demo-journal-failed' }]);
  });
});
