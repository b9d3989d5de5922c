import { WS_CONTRACT_PATH } from '../../../shared/contract';
import { createIpcTransport, isAksonBridge } from './ipc-transport';
import type { ContractTransport } from './transport';
import { contractSocketUrl, createWebSocketTransport } from './ws-transport';

/** Electron's preload bridge when it is there, otherwise the dev host's WebSocket. */
export const pickTransport = (win: Window & { akson?: unknown }): ContractTransport =>
  isAksonBridge(win.akson)
    ? createIpcTransport(win.akson)
    : createWebSocketTransport({ url: contractSocketUrl(win.location, WS_CONTRACT_PATH) });
