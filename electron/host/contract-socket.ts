import type { RawData, WebSocket } from 'ws';
import {
  fail,
  wsClientMessageSchema,
  type Result,
  type WsHostMessage,
} from '../../shared/contract';
import { describeIssues, type Core, type Logger } from '../core';

/** WebSocket close codes (RFC 6455) this host uses. */
export const CLOSE_INVALID_MESSAGE = 1007;
export const CLOSE_POLICY = 1008;

const send = (socket: WebSocket, message: WsHostMessage): void => {
  if (socket.readyState === socket.OPEN) {
    socket.send(JSON.stringify(message));
  }
};

const parseJson = (data: RawData): unknown => {
  const text = Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data as ArrayBuffer).toString('utf8');
  return JSON.parse(text) as unknown;
};

/**
 * Serves the contract on one authenticated socket: calls go to core's dispatcher (the same one
 * Electron main uses), core's events come back. Returns the function that detaches it.
 */
export const serveContractSocket = (socket: WebSocket, core: Core, log: Logger): (() => void) => {
  const unsubscribe = core.events.subscribe((event, payload) => send(socket, { type: 'event', event, payload }));

  // Oversized or malformed frames surface here; drop that client, keep the host running.
  socket.on('error', (error) => {
    log.warn({ errorType: error.name }, 'contract socket error; closing it');
    socket.terminate();
  });

  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      socket.close(CLOSE_INVALID_MESSAGE, 'text frames only');
      return;
    }
    let raw: unknown;
    try {
      raw = parseJson(data);
    } catch {
      socket.close(CLOSE_INVALID_MESSAGE, 'not JSON');
      return;
    }
    const parsed = wsClientMessageSchema.safeParse(raw);
    if (!parsed.success) {
      const id = typeof raw === 'object' && raw !== null && 'id' in raw ? (raw).id : undefined;
      if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) {
        const result: Result<never> = fail('INVALID_INPUT', `Malformed call message: ${describeIssues(parsed.error.issues)}`);
        send(socket, { type: 'result', id, result });
      } else {
        log.warn('contract socket closed: message without a usable id');
        socket.close(CLOSE_POLICY, 'malformed message');
      }
      return;
    }
    const { id, call, input } = parsed.data;
    core
      .dispatch(call, input)
      .then((result) => send(socket, { type: 'result', id, result }))
      .catch((error: unknown) => {
        log.error({ errorType: error instanceof Error ? error.name : typeof error }, 'could not answer a contract call');
        socket.terminate();
      });
  });

  socket.on('close', unsubscribe);
  return unsubscribe;
};
