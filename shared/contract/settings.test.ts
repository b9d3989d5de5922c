import { describe, expect, it } from 'vitest';
import { healthProblemSchema } from './settings';

describe('health problems', () => {
  it('says of a cache that did not open what core knows of its unsent changes: exported (where, how many) or unknown', () => {
    const exported = { kind: 'cache-unavailable', code: 'CORRUPT_UNRECOVERABLE', unsent: { state: 'exported', items: 2, unreadable: 0, file: '/d/recovered-outbox-x.bin' } };
    expect(healthProblemSchema.parse(exported)).toEqual(exported);
    const unknown = { kind: 'cache-unavailable', code: 'WRONG_CARD', unsent: { state: 'unknown' } };
    expect(healthProblemSchema.parse(unknown)).toEqual(unknown);
    // Never silent about it, and never "exported" with nothing in it or nowhere to find it.
    expect(healthProblemSchema.safeParse({ kind: 'cache-unavailable', code: 'WRONG_CARD' }).success).toBe(false);
    expect(healthProblemSchema.safeParse({ ...exported, unsent: { ...exported.unsent, items: 0 } }).success).toBe(false);
    expect(healthProblemSchema.safeParse({ ...exported, unsent: { state: 'exported', items: 2, unreadable: 0 } }).success).toBe(false);
  });
});
