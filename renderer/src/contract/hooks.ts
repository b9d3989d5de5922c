import { useContext, useEffect, useState } from 'react';
import {
  ContractError,
  type CallInput,
  type CallName,
  type CallOutput,
  type EventName,
  type EventPayload,
} from '../../../shared/contract';
import type { ContractClient } from './contract-client';
import { ContractContext } from './ContractProvider';

export const useContract = (): ContractClient => {
  const client = useContext(ContractContext);
  if (client === null) {
    throw new Error('useContract needs a <ContractProvider> above it');
  }
  return client;
};

export type CallState<T> =
  | { status: 'loading' }
  | { status: 'ok'; value: T }
  | { status: 'error'; error: ContractError };

/** Runs one call when the component mounts (and again if the input changes). */
export const useCall = <N extends CallName>(name: N, input: CallInput<N>): CallState<CallOutput<N>> => {
  const client = useContract();
  const [state, setState] = useState<CallState<CallOutput<N>>>({ status: 'loading' });
  const inputKey = JSON.stringify(input);
  useEffect(() => {
    let current = true;
    setState({ status: 'loading' });
    client.call(name, JSON.parse(inputKey) as CallInput<N>).then(
      (value) => current && setState({ status: 'ok', value }),
      (error: unknown) =>
        current &&
        setState({
          status: 'error',
          error: error instanceof ContractError ? error : new ContractError('INTERNAL', 'unexpected failure'),
        }),
    );
    return () => {
      current = false;
    };
  }, [client, name, inputKey]);
  return state;
};

/** The latest payload of one event, or undefined before the first arrives. */
export const useContractEvent = <E extends EventName>(event: E): EventPayload<E> | undefined => {
  const client = useContract();
  const [latest, setLatest] = useState<EventPayload<E> | undefined>(undefined);
  useEffect(() => client.on(event, setLatest), [client, event]);
  return latest;
};
