import type { AksonBridge } from '../../../shared/contract';

export type TransportKind = 'ipc' | 'websocket';

/** What the client needs from a transport: the preload bridge's shape, plus which one it is. */
export interface ContractTransport extends AksonBridge {
  readonly kind: TransportKind;
  close(): void;
}
