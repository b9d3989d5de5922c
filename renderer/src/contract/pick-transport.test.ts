import { describe, expect, it, vi } from 'vitest';
import { pickTransport } from './pick-transport';

const windowAt = (href: string, akson?: unknown) => {
  const url = new URL(href);
  return { akson, location: { protocol: url.protocol, hostname: url.hostname, host: url.host } } as unknown as Window & { akson?: unknown };
};

describe('pickTransport', () => {
  it("uses Electron's preload bridge when the page has one", async () => {
    const bridge = { invoke: vi.fn(() => Promise.resolve({ ok: true, value: 1 })), onEvent: vi.fn(() => () => undefined) };
    const transport = pickTransport(windowAt('app://akson/index.html', bridge));
    expect(transport.kind).toBe('ipc');
    await transport.invoke('app.info', {});
    expect(bridge.invoke).toHaveBeenCalledWith('app.info', {});
  });

  it("uses the WebSocket on the dev host's own origin", () => {
    const transport = pickTransport(windowAt('http://127.0.0.1:9/'));
    expect(transport.kind).toBe('websocket');
    transport.close();
  });

  it('has no transport anywhere else, and says so on every call', async () => {
    for (const href of ['app://akson/index.html', 'http://evil.example/', 'https://127.0.0.1/']) {
      await expect(pickTransport(windowAt(href)).invoke('app.info', {})).rejects.toThrow('no contract transport');
    }
  });
});
