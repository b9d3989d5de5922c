import { useCallback, useEffect, useState } from 'react';
import { ContractError, type CallInput, type CallOutput } from '../../../shared/contract';
import { useContract } from '../contract/hooks';
import type { CallState } from '../contract/hooks';

type ListCall = 'sync.conflicts' | 'sync.failed';

/**
 * One of the lists that need the clinician, read while `active` and read again after every
 * `sync.status` event and every `reload()`. The last answer stays on screen while a new one is
 * on its way, so a list does not flicker to "loading" when the status ticks.
 */
export const useSyncList = <N extends ListCall>(name: N, active: boolean): { state: CallState<CallOutput<N>>; reload: () => void } => {
  const client = useContract();
  const [state, setState] = useState<CallState<CallOutput<N>>>({ status: 'loading' });
  const [round, setRound] = useState(0);
  const reload = useCallback(() => setRound((value) => value + 1), []);
  useEffect(() => {
    if (!active) {
      return undefined;
    }
    return client.on('sync.status', reload);
  }, [client, active, reload]);
  useEffect(() => {
    if (!active) {
      return undefined;
    }
    let current = true;
    client.call(name, {} as CallInput<N>).then(
      (value) => current && setState({ status: 'ok', value }),
      (error: unknown) =>
        current &&
        setState({ status: 'error', error: error instanceof ContractError ? error : new ContractError('INTERNAL', 'unexpected failure') }),
    );
    return () => {
      current = false;
    };
  }, [client, name, active, round]);
  return { state, reload };
};
