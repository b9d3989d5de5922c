/**
 * Names and limits of the two transports, with no dependencies, so that the sandboxed preload
 * script can import them without pulling in zod.
 */

/** Every IPC channel of the app starts with this; main refuses to bind any other. */
export const IPC_CHANNEL_PREFIX = 'akson:';
/** Renderer -> main: `{ call, input }`, answered with a Result. */
export const IPC_INVOKE_CHANNEL = `${IPC_CHANNEL_PREFIX}invoke`;
/** Main -> renderer: `{ event, payload }`. */
export const IPC_EVENT_CHANNEL = `${IPC_CHANNEL_PREFIX}event`;

/** Path of the dev host's contract WebSocket. */
export const WS_CONTRACT_PATH = '/contract';

/** Upper bound for one message on either transport; the contract's calls are small. */
export const MAX_MESSAGE_BYTES = 1024 * 1024;

/**
 * What the preload script exposes as `window.akson`. Deliberately untyped per call: the renderer's
 * client validates every answer against the contract, whichever transport it uses.
 */
export interface AksonBridge {
  invoke(call: string, input: unknown): Promise<unknown>;
  onEvent(listener: (event: string, payload: unknown) => void): () => void;
}
