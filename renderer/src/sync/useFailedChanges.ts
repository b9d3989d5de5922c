import { useCallback } from 'react';
import type { CallOutput } from '../../../shared/contract';
import { useContract } from '../contract/hooks';
import { useSyncList } from './useSyncList';

export type FailedChange = CallOutput<'sync.failed'>[number];

/** The changes the journal refused, and the two things the clinician can do with one. */
export const useFailedChanges = (active: boolean) => {
  const client = useContract();
  const { state, reload } = useSyncList('sync.failed', active);
  const act = useCallback(
    async (call: 'sync.retry' | 'sync.discard', seq: number): Promise<void> => {
      try {
        await client.call(call, { seq });
      } finally {
        reload();
      }
    },
    [client, reload],
  );
  const retry = useCallback((seq: number) => act('sync.retry', seq), [act]);
  const discard = useCallback((seq: number) => act('sync.discard', seq), [act]);
  return { state, retry, discard };
};
