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

/** Runs one call when the component mounts, and again when the call or its input changes. */
export const useCall = <N extends CallName>(name: N, input: CallInput<N>): CallState<CallOutput<N>> => {
  const client = useContract();
  const key = `${name}:${JSON.stringify(input)}`;
  // The answer is kept with the key it answers, so a changed input reads as loading at once.
  const [answer, setAnswer] = useState<{ key: string; state: CallState<CallOutput<N>> } | undefined>(undefined);
  useEffect(() => {
    let current = true;
    const requestInput = JSON.parse(key.slice(name.length + 1)) as CallInput<N>;
    client.call(name, requestInput).then(
      (value) => current && setAnswer({ key, state: { status: 'ok', value } }),
      (error: unknown) =>
        current &&
        setAnswer({
          key,
          state: {
            status: 'error',
            error: error instanceof ContractError ? error : new ContractError('INTERNAL', 'unexpected failure'),
          },
        }),
    );
    return () => {
      current = false;
    };
  }, [client, name, key]);
  return answer?.key === key ? answer.state : { status: 'loading' };
};

/** The latest payload of one event, or undefined before the first arrives. */
export const useContractEvent = <E extends EventName>(event: E): EventPayload<E> | undefined => {
  const client = useContract();
  const [latest, setLatest] = useState<EventPayload<E> | undefined>(undefined);
  useEffect(() => client.on(event, setLatest), [client, event]);
  return latest;
};
