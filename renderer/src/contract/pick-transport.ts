import { WS_CONTRACT_PATH } from '../../../shared/contract';
import { createIpcTransport, isAksonBridge } from './ipc-transport';
import type { ContractTransport } from './transport';
import { contractSocketUrl, createWebSocketTransport } from './ws-transport';

/**
 * Electron's preload bridge when it is there; otherwise the dev host's WebSocket, but only on the
 * dev host's own origin (http on 127.0.0.1). Anywhere else (say, Electron with a broken preload)
 * there is no transport, and the client reports it instead of trying a socket that cannot exist.
 */
export const pickTransport = (win: Window & { akson?: unknown }): ContractTransport => {
  if (isAksonBridge(win.akson)) {
    return createIpcTransport(win.akson);
  }
  if (win.location.protocol === 'http:' && win.location.hostname === '127.0.0.1') {
    return createWebSocketTransport({ url: contractSocketUrl(win.location, WS_CONTRACT_PATH) });
  }
  return {
    kind: 'ipc',
    invoke: () => Promise.reject(new Error('no contract transport in this window')),
    onEvent: () => () => undefined,
    close: () => undefined,
  };
};
