import { describe, expect, it } from 'vitest';
import { unsentWorkSchema } from '../../../shared/contract';
import { CacheError } from '../cache';
import { unsentAfter } from './offline-workspace';

describe('what the failure screen is told of unsent work in a cache that did not open', () => {
  it('is "exported" only when a recovery saved rows into a file, else "unknown"', () => {
    const exported = unsentAfter(
      new CacheError('CORRUPT_UNRECOVERABLE', 'x', { salvaged: { exportedOutboxItems: 3, unreadableOutboxItems: 1, exportFile: '/c/recovered-outbox-1.bin' } }),
    );
    expect(exported).toEqual({ state: 'exported', items: 3, unreadable: 1, file: '/c/recovered-outbox-1.bin' });
    expect(unsentWorkSchema.parse(exported)).toEqual(exported);
    // Nothing readable in the damaged file: core can not say there was nothing.
    expect(unsentAfter(new CacheError('CORRUPT_UNRECOVERABLE', 'x', { salvaged: { exportedOutboxItems: 0, unreadableOutboxItems: 0, exportFile: null } }))).toEqual({ state: 'unknown' });
    expect(unsentAfter(new CacheError('WRONG_CARD', 'x'))).toEqual({ state: 'unknown' });
    expect(unsentAfter(new Error('boom'))).toEqual({ state: 'unknown' });
  });
});
