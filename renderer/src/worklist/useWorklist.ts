import { useEffect, useState } from 'react';
import { ContractError, type Worklist, type WorklistName } from '../../../shared/contract';
import { useContract } from '../contract/hooks';

export type WorklistState = { status: 'loading' } | { status: 'ok'; worklist: Worklist } | { status: 'error'; error: ContractError };

/** One worklist from the cache at once; asked again whenever core says it was refreshed. */
export const useWorklist = (list: WorklistName): WorklistState => {
  const client = useContract();
  const [state, setState] = useState<WorklistState>({ status: 'loading' });
  useEffect(() => {
    let current = true;
    const load = (): void => {
      client.call('worklist.get', { list }).then(
        (worklist) => current && setState({ status: 'ok', worklist }),
        (error: unknown) => current && setState({ status: 'error', error: error instanceof ContractError ? error : new ContractError('INTERNAL', 'unexpected') }),
      );
    };
    load();
    const off = client.on('worklist.updated', (event) => {
      if (event.list === list) {
        load();
      }
    });
    return () => {
      current = false;
      off();
    };
  }, [client, list]);
  return state;
};
