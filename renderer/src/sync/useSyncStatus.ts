import { useEffect, useState } from 'react';
import type { SyncStatusValue } from '../../../shared/contract';
import { useContract } from '../contract/hooks';

/** The sync status, asked once and then kept current by the `sync.status` event. */
export const useSyncStatus = (active = true): SyncStatusValue | undefined => {
  const client = useContract();
  const [status, setStatus] = useState<SyncStatusValue | undefined>(undefined);
  useEffect(() => {
    if (!active) {
      return undefined;
    }
    let current = true;
    client.call('sync.status', {}).then(
      (value) => current && setStatus(value),
      () => undefined,
    );
    const off = client.on('sync.status', setStatus);
    return () => {
      current = false;
      off();
    };
  }, [client, active]);
  return active ? status : undefined;
};
