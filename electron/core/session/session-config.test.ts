import { describe, expect, it } from 'vitest';
import { sessionStatusSchema } from '../../../shared/contract';
import { createEventHub } from '../contract/event-hub';
import { memoryLog } from '../test-support/memory-log';
import { SessionService, sessionConfigFrom, sessionConfigFromEnv } from './session-service';

const none = { journalUrl: undefined, pkcs11Module: undefined, cardLabel: undefined };

describe('the demo journal in the session config', () => {
  it('is the demo only when AKSON_DEMO_JOURNAL names the journal in force', () => {
    expect(sessionConfigFromEnv({ AKSON_JOURNAL_URL: 'http://127.0.0.1:4000', AKSON_DEMO_JOURNAL: 'http://127.0.0.1:4000/' }).demoJournal).toBe(true);
    // npm start -- --journal URL: another journal than the demo one, never DEMO over real records.
    expect(sessionConfigFromEnv({ AKSON_JOURNAL_URL: 'https://journal.example.kommune.no', AKSON_DEMO_JOURNAL: 'http://127.0.0.1:4000' }).demoJournal).toBeUndefined();
    expect(sessionConfigFromEnv({ AKSON_JOURNAL_URL: 'http://127.0.0.1:4000' }).demoJournal).toBeUndefined();
    expect(sessionConfigFromEnv({ AKSON_DEMO_JOURNAL: '' }).demoJournal).toBeUndefined();
    // A journal from the settings counts the same way.
    expect(sessionConfigFrom({ AKSON_DEMO_JOURNAL: 'http://127.0.0.1:4000' }, { ...none, journalUrl: 'http://127.0.0.1:4000' }).demoJournal).toBe(true);
    expect(sessionConfigFrom({ AKSON_DEMO_JOURNAL: 'http://127.0.0.1:4000' }, { ...none, journalUrl: 'https://journal.example.kommune.no' }).demoJournal).toBeUndefined();
  });

  it('refuses an AKSON_JOURNAL_URL that is not an http(s) URL or longer than the contract carries', () => {
    expect(() => sessionConfigFromEnv({ AKSON_JOURNAL_URL: 'ftp://journal' })).toThrow(/must be an http\(s\) URL/);
    expect(() => sessionConfigFromEnv({ AKSON_JOURNAL_URL: `https://journal.kommune.no/${'a'.repeat(2000)}` })).toThrow(/at most 2000 characters/);
  });

  it('says so in every session status, which the contract accepts', () => {
    const { log } = memoryLog();
    const demo = new SessionService({ journalUrl: 'http://127.0.0.1:4000', demoJournal: true }, { events: createEventHub(log), log });
    const status = demo.status();
    expect(status).toMatchObject({ state: 'no-card', demoJournal: true });
    expect(sessionStatusSchema.parse(status)).toEqual(status);
    expect(new SessionService({ journalUrl: 'http://127.0.0.1:4000' }, { events: createEventHub(log), log }).status().demoJournal).toBeUndefined();
  });
});
