import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { IPC_CHANNEL_PREFIX, IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, callNames } from '../../shared/contract';
import { createCore, type Core } from '../core';
import { memoryLog } from '../core/test-support/memory-log';

// Electron's own module is the one thing mocked: ipcMain keeps handlers the way Electron does.
type Handler = (event: unknown, ...args: unknown[]) => Promise<unknown>;
const electron = vi.hoisted(() => ({ handlers: new Map<string, Handler>() }));
vi.mock('electron', () => ({
  ipcMain: {
    handle: vi.fn((channel: string, handler: Handler) => {
      if (electron.handlers.has(channel)) {
        throw new Error(`Attempted to register a second handler for '${channel}'`);
      }
      electron.handlers.set(channel, handler);
    }),
    removeHandler: vi.fn((channel: string) => electron.handlers.delete(channel)),
  },
}));

const { bindContractToIpc, handleValidated } = await import('./ipc-bridge');

const appFrame = { parent: null, url: 'app://akson/index.html' };
const eventFrom = (senderFrame: unknown) => ({ senderFrame });

/** What the renderer's preload sends: ipcRenderer.invoke(channel, request). */
const invoke = (channel: string, request: unknown, senderFrame: unknown = appFrame): Promise<unknown> => {
  const handler = electron.handlers.get(channel);
  if (!handler) {
    // Electron's own answer for a channel nobody bound.
    return Promise.reject(new Error(`No handler registered for '${channel}'`));
  }
  return handler(eventFrom(senderFrame), request);
};

const webContents = (url: string) => ({ isDestroyed: () => false, getURL: () => url, send: vi.fn() });

let core: Core;
let unbind: () => void;
let dispatch: MockInstance<Core['dispatch']>;
const appWindow = webContents('app://akson/index.html');
const foreignWindow = webContents('https://evil.example/');

beforeEach(() => {
  electron.handlers.clear();
  core = createCore({
    build: { name: 'Akson', version: '0.1.0', buildTime: '2026-11-28T08:00:00.000Z' },
    mode: 'electron',
    log: memoryLog().log,
    clockIntervalMs: 60_000,
  });
  dispatch = vi.spyOn(core, 'dispatch');
  unbind = bindContractToIpc({ core, log: memoryLog().log, eventTargets: () => [appWindow, foreignWindow] as never });
});

afterEach(async () => {
  unbind();
  await core.dispose();
  vi.clearAllMocks();
});

describe('Electron main binds the contract to IPC', () => {
  it('binds only app-prefixed channels', () => {
    expect([...electron.handlers.keys()]).toEqual([IPC_INVOKE_CHANNEL]);
    for (const channel of electron.handlers.keys()) {
      expect(channel.startsWith(IPC_CHANNEL_PREFIX)).toBe(true);
    }
  });

  it("hands every contract call to core's dispatcher and answers with what it returned", async () => {
    for (const [index, call] of callNames.entries()) {
      const viaIpc = await invoke(IPC_INVOKE_CHANNEL, { call, input: {} });
      expect(dispatch).toHaveBeenCalledTimes(index + 1);
      expect(dispatch).toHaveBeenLastCalledWith(call, {});
      expect(viaIpc).toBe(await (dispatch.mock.results[index]?.value as Promise<unknown>));
    }
    expect(await invoke(IPC_INVOKE_CHANNEL, { call: 'app.info', input: {} })).toMatchObject({
      ok: true,
      value: { mode: 'electron', version: '0.1.0' },
    });
  });

  it('adds no answer of its own: whatever core answers is what the renderer gets', async () => {
    const marker = { ok: true as const, value: { fromCore: Symbol.for('core') } };
    dispatch.mockResolvedValueOnce(marker);
    await expect(invoke(IPC_INVOKE_CHANNEL, { call: 'app.info', input: {} })).resolves.toBe(marker);
  });

  it('rejects an unknown channel', async () => {
    await expect(invoke('akson:fs', { call: 'app.info', input: {} })).rejects.toThrow(/No handler/);
    expect(() => handleValidated('fs:read', () => Promise.resolve())).toThrow(/Refusing to bind/);
    expect(electron.handlers.has('fs:read')).toBe(false);
  });

  it('rejects an unknown call on the contract channel', async () => {
    await expect(invoke(IPC_INVOKE_CHANNEL, { call: 'shell.openExternal', input: {} })).resolves.toMatchObject({
      ok: false,
      error: { code: 'UNKNOWN_CALL' },
    });
  });

  it.each([
    ['a page from another origin', { parent: null, url: 'https://evil.example/' }],
    ['a file:// page', { parent: null, url: 'file:///tmp/index.html' }],
    ['a sub-frame of the app', { parent: appFrame, url: 'app://akson/index.html' }],
    ['a look-alike host', { parent: null, url: 'app://akson.evil/index.html' }],
    ['no frame at all', null],
  ])('rejects a call from %s without reaching core', async (_name, frame) => {
    const result = await invoke(IPC_INVOKE_CHANNEL, { call: 'app.info', input: {} }, frame);
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(dispatch).not.toHaveBeenCalled();
  });

  it.each([
    ['an input outside the schema', { call: 'app.info', input: { extra: 1 } }],
    ['a missing input', { call: 'app.info' }],
    ['a bare string', 'app.info'],
    ['an envelope with extra fields', { call: 'app.info', input: {}, channel: 'x' }],
    ['a call name that is not a string', { call: 7, input: {} }],
  ])('rejects %s as INVALID_INPUT', async (_name, request) => {
    await expect(invoke(IPC_INVOKE_CHANNEL, request)).resolves.toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });

  it("sends core's events only to windows showing the app", () => {
    core.events.emit('app.clock', { now: '2026-11-28T08:00:00.000Z', seq: 0 });
    expect(appWindow.send).toHaveBeenCalledWith(IPC_EVENT_CHANNEL, {
      event: 'app.clock',
      payload: { now: '2026-11-28T08:00:00.000Z', seq: 0 },
    });
    expect(foreignWindow.send).not.toHaveBeenCalled();
  });

  it('unbinds the channel and the events', () => {
    unbind();
    expect(electron.handlers.size).toBe(0);
    core.events.emit('app.clock', { now: '2026-11-28T08:00:00.000Z', seq: 1 });
    expect(appWindow.send).not.toHaveBeenCalled();
    unbind = () => undefined;
  });
});
