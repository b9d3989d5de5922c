import type { AksonBridge } from '../../../shared/contract';
import type { ContractTransport } from './transport';

/** Inside Electron: the preload script's `window.akson`. */
export const createIpcTransport = (bridge: AksonBridge): ContractTransport => ({
  kind: 'ipc',
  invoke: (call, input) => bridge.invoke(call, input),
  onEvent: (listener) => bridge.onEvent(listener),
  close: () => undefined,
});

export const isAksonBridge = (value: unknown): value is AksonBridge =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Partial<AksonBridge>).invoke === 'function' &&
  typeof (value as Partial<AksonBridge>).onEvent === 'function';
