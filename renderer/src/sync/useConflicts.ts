import { useCallback } from 'react';
import type { CallInput, CallOutput } from '../../../shared/contract';
import { useContract } from '../contract/hooks';
import { useSyncList } from './useSyncList';

export type Conflict = CallOutput<'sync.conflicts'>[number];
export type ConflictDecision = Omit<CallInput<'sync.resolve'>, 'conflictId'>;

/** The conflicts waiting for the clinician, and the call that settles one (the list is read again after). */
export const useConflicts = (active: boolean) => {
  const client = useContract();
  const { state, reload } = useSyncList('sync.conflicts', active);
  const resolve = useCallback(
    async (conflictId: number, decision: ConflictDecision): Promise<void> => {
      try {
        await client.call('sync.resolve', { conflictId, ...decision });
      } finally {
        reload();
      }
    },
    [client, reload],
  );
  return { state, resolve };
};
