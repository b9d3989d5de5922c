import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type AksonBridge } from '../../shared/contract/channels';

/**
 * Security related: the whole surface the renderer gets is `window.akson` with two functions over
 * two fixed channels. Never expose ipcRenderer itself, or a channel name chosen by the renderer.
 */
export const bridge: AksonBridge = {
  invoke: (call, input) => ipcRenderer.invoke(IPC_INVOKE_CHANNEL, { call, input }),
  onEvent: (listener) => {
    const forward = (_event: IpcRendererEvent, message: unknown): void => {
      if (typeof message === 'object' && message !== null && 'event' in message && 'payload' in message) {
        const { event, payload } = message;
        if (typeof event === 'string') {
          listener(event, payload);
        }
      }
    };
    ipcRenderer.on(IPC_EVENT_CHANNEL, forward);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT_CHANNEL, forward);
    };
  },
};

contextBridge.exposeInMainWorld('akson', bridge);
