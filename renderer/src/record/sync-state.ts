import type { SyncState } from '../chart/JournalTimeline';
import type { RecordRef } from '../chart/shape-chart';

/**
 * Where an item's change stands. A new item is shown under a local id (`local-<client id>`) until
 * the journal gives it its own; the badge follows it across that swap through the client id it carries.
 */
export const itemSyncState = (syncStates: ReadonlyMap<string, SyncState>, item: Pick<RecordRef, 'key' | 'clientId'>): SyncState | undefined => {
  const own = syncStates.get(item.key);
  if (own !== undefined || item.clientId === undefined) {
    return own;
  }
  return syncStates.get(`${item.key.split('/')[0] ?? ''}/local-${item.clientId}`);
};

/** True while the item is only on this PC: the journal has not given it its id, so it can not be changed yet. */
export const isLocalOnly = (item: Pick<RecordRef, 'key'>): boolean => (item.key.split('/')[1] ?? '').startsWith('local-');
