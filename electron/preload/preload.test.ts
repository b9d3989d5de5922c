import { describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => ({
  exposed: new Map<string, unknown>(),
  invoke: vi.fn((..._args: unknown[]) => Promise.resolve({ ok: true, value: 1 })),
  listeners: new Map<string, (event: unknown, message: unknown) => void>(),
}));
vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => electron.exposed.set(key, api) },
  ipcRenderer: {
    invoke: electron.invoke,
    on: (channel: string, listener: (event: unknown, message: unknown) => void) => electron.listeners.set(channel, listener),
    removeListener: (channel: string) => electron.listeners.delete(channel),
  },
}));
await import('./preload');

describe('preload', () => {
  it('exposes only window.akson with invoke and onEvent, never ipcRenderer', () => {
    expect([...electron.exposed.keys()]).toEqual(['akson']);
    expect(Object.keys(electron.exposed.get('akson') as object).sort()).toEqual(['invoke', 'onEvent']);
  });

  it('sends every call on the one contract channel, whatever name the page passes', async () => {
    const bridge = electron.exposed.get('akson') as { invoke: (call: string, input: unknown) => Promise<unknown> };
    await bridge.invoke('akson:event', { x: 1 });
    expect(electron.invoke).toHaveBeenCalledWith('akson:invoke', { call: 'akson:event', input: { x: 1 } });
  });

  it('forwards well-formed events and drops the rest, and unsubscribes', () => {
    const bridge = electron.exposed.get('akson') as { onEvent: (l: (e: string, p: unknown) => void) => () => void };
    const listener = vi.fn();
    const stop = bridge.onEvent(listener);
    const forward = electron.listeners.get('akson:event');
    forward?.({}, { event: 'app.clock', payload: { seq: 1 } });
    forward?.({}, 'garbage');
    forward?.({}, { event: 3, payload: {} });
    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith('app.clock', { seq: 1 });
    stop();
    expect(electron.listeners.has('akson:event')).toBe(false);
  });
});
