import { wsHostMessageSchema, type WsClientMessage } from '../../../shared/contract';
import type { ContractTransport } from './transport';

export interface WebSocketTransportOptions {
  /** ws://127.0.0.1:<port>/contract */
  url: string;
  /** A call with no answer after this long fails (the socket may be half-open). */
  callTimeoutMs?: number;
  /** First reconnect delay; doubles up to maxReconnectDelayMs. */
  reconnectDelayMs?: number;
  maxReconnectDelayMs?: number;
  createSocket?: (url: string) => WebSocket;
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
  /** The frame while it waits for a connection; undefined once sent. */
  unsent: string | undefined;
}

/**
 * In the dev host: the contract over a same-origin WebSocket. The session cookie set by the launch
 * link authenticates it, so nothing secret lives in this code or in the page. Calls made while the
 * socket is (re)connecting wait for it until their timeout; calls already sent when it drops fail
 * (their outcome is unknown), and it reconnects. A call that has failed is never sent later.
 */
export const createWebSocketTransport = ({
  url,
  callTimeoutMs = 15_000,
  reconnectDelayMs = 250,
  maxReconnectDelayMs = 5_000,
  createSocket = (target) => new WebSocket(target),
}: WebSocketTransportOptions): ContractTransport => {
  const pending = new Map<number, Pending>();
  const listeners = new Set<(event: string, payload: unknown) => void>();
  let nextId = 0;
  let socket: WebSocket | undefined;
  let closed = false;
  let delay = reconnectDelayMs;
  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;

  /** Fails the calls already sent (or, with `includeUnsent`, every call). */
  const fail = (reason: string, includeUnsent: boolean): void => {
    for (const [id, call] of pending) {
      if (includeUnsent || call.unsent === undefined) {
        clearTimeout(call.timer);
        call.reject(new Error(reason));
        pending.delete(id);
      }
    }
  };

  const onMessage = (data: unknown): void => {
    if (typeof data !== 'string') {
      return;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(data);
    } catch {
      return;
    }
    const parsed = wsHostMessageSchema.safeParse(raw);
    if (!parsed.success) {
      return;
    }
    const message = parsed.data;
    if (message.type === 'event') {
      for (const listener of listeners) {
        listener(message.event, message.payload);
      }
      return;
    }
    const call = pending.get(message.id);
    if (call) {
      clearTimeout(call.timer);
      pending.delete(message.id);
      call.resolve(message.result);
    }
  };

  const connect = (): void => {
    const current = createSocket(url);
    socket = current;
    current.addEventListener('open', () => {
      delay = reconnectDelayMs;
      for (const call of pending.values()) {
        if (call.unsent !== undefined) {
          current.send(call.unsent);
          call.unsent = undefined;
        }
      }
    });
    current.addEventListener('message', (event: MessageEvent) => onMessage(event.data));
    current.addEventListener('close', () => {
      fail('connection closed', false);
      if (!closed) {
        reconnectTimer = setTimeout(connect, delay);
        delay = Math.min(delay * 2, maxReconnectDelayMs);
      }
    });
  };
  connect();

  return {
    kind: 'websocket',
    invoke(call, input) {
      if (closed) {
        return Promise.reject(new Error('transport closed'));
      }
      const id = nextId++;
      const frame = JSON.stringify({ type: 'call', id, call, input } satisfies WsClientMessage);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new Error('no answer in time'));
        }, callTimeoutMs);
        const open = socket?.readyState === WebSocket.OPEN;
        pending.set(id, { resolve, reject, timer, unsent: open ? undefined : frame });
        if (open) {
          socket?.send(frame);
        }
      });
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    close() {
      closed = true;
      clearTimeout(reconnectTimer);
      socket?.close();
      fail('transport closed', true);
    },
  };
};

/** The dev host serves the socket on the page's own origin. */
export const contractSocketUrl = (location: Pick<Location, 'protocol' | 'host'>, path: string): string =>
  `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${path}`;
