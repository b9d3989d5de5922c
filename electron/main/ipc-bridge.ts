import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import {
  IPC_CHANNEL_PREFIX,
  IPC_EVENT_CHANNEL,
  IPC_INVOKE_CHANNEL,
  fail,
  invokeRequestSchema,
} from '../../shared/contract';
import { describeIssues, type Core, type Logger } from '../core';
import { isAppUrl } from './app-origin';
import { isTrustedSender } from './trusted-sender';

type InvokeHandler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;

/** Security related: the only way main binds an IPC channel; anything outside `akson:` is refused. */
export const handleValidated = (channel: string, handler: InvokeHandler): void => {
  if (!channel.startsWith(IPC_CHANNEL_PREFIX)) {
    throw new Error(`Refusing to bind IPC channel "${channel}": app channels start with "${IPC_CHANNEL_PREFIX}"`);
  }
  ipcMain.handle(channel, handler);
};

export interface IpcBridgeOptions {
  core: Core;
  log: Logger;
  /** The windows that may hear core's events; only those showing the app's own page get them. */
  eventTargets: () => readonly WebContents[];
}

/**
 * Binds the contract to Electron IPC. Main adds only the Electron-specific checks (sender frame,
 * envelope shape); the call itself runs in core's dispatcher, the same one the dev host uses.
 * Returns the function that unbinds.
 */
export const bindContractToIpc = ({ core, log, eventTargets }: IpcBridgeOptions): (() => void) => {
  handleValidated(IPC_INVOKE_CHANNEL, async (event, request) => {
    if (!isTrustedSender(event.senderFrame)) {
      log.warn('IPC call refused: sender frame is not the app');
      return fail('FORBIDDEN', 'Calls are accepted only from the app window.');
    }
    const parsed = invokeRequestSchema.safeParse(request);
    if (!parsed.success) {
      return fail('INVALID_INPUT', `Malformed call: ${describeIssues(parsed.error.issues)}`);
    }
    return core.dispatch(parsed.data.call, parsed.data.input);
  });

  const unsubscribe = core.events.subscribe((event, payload) => {
    for (const contents of eventTargets()) {
      if (!contents.isDestroyed() && isAppUrl(contents.getURL())) {
        contents.send(IPC_EVENT_CHANNEL, { event, payload });
      }
    }
  });

  return () => {
    ipcMain.removeHandler(IPC_INVOKE_CHANNEL);
    unsubscribe();
  };
};
