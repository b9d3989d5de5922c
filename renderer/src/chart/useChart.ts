import { useEffect, useState } from 'react';
import { ContractError, type CallOutput } from '../../../shared/contract';
import { useContract } from '../contract/hooks';

export type ChartState =
  | { status: 'loading' }
  | { status: 'ok'; chart: CallOutput<'chart.open'> }
  | { status: 'error'; error: ContractError };

/** One patient's chart: from the cache at once, asked again when a background pull brings news. */
export const useChart = (patientId: string): ChartState => {
  const client = useContract();
  const [state, setState] = useState<ChartState>({ status: 'loading' });
  useEffect(() => {
    let current = true;
    const load = (): void => {
      client.call('chart.open', { patientId }).then(
        (chart) => current && setState({ status: 'ok', chart }),
        (error: unknown) => current && setState({ status: 'error', error: error instanceof ContractError ? error : new ContractError('INTERNAL', 'unexpected') }),
      );
    };
    load();
    const off = client.on('chart.updated', (event) => {
      if (event.patientId === patientId) {
        load();
      }
    });
    return () => {
      current = false;
      off();
    };
  }, [client, patientId]);
  return state;
};
