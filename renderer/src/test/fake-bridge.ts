import { vi } from 'vitest';
import type { ContractTransport } from '../contract/transport';

/**
 * An in-memory transport for component tests: answers calls from a table and lets the test push
 * events. (The real transports are proven end to end by the e2e lane and the host/main tests.)
 */
export const fakeTransport = (answers: Record<string, unknown>, kind: ContractTransport['kind'] = 'websocket') => {
  const listeners = new Set<(event: string, payload: unknown) => void>();
  const transport: ContractTransport = {
    kind,
    invoke: vi.fn((call: string) =>
      call in answers ? Promise.resolve(answers[call]) : Promise.reject(new Error('connection closed')),
    ),
    onEvent: (listener) => {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    close: vi.fn(),
  };
  const push = (event: string, payload: unknown): void => {
    for (const listener of listeners) {
      listener(event, payload);
    }
  };
  return { transport, push };
};
