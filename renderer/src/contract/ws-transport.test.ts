import { afterEach, describe, expect, it, vi } from 'vitest';
import { contractSocketUrl, createWebSocketTransport } from './ws-transport';

/** A scripted stand-in for the browser's WebSocket, driven by the test. */
class ScriptedSocket extends EventTarget {
  static instances: ScriptedSocket[] = [];
  readyState: number = WebSocket.CONNECTING;
  sent: string[] = [];
  constructor(readonly url: string) {
    super();
    ScriptedSocket.instances.push(this);
  }
  send(frame: string): void {
    this.sent.push(frame);
  }
  close(): void {
    this.drop();
  }
  open(): void {
    this.readyState = WebSocket.OPEN;
    this.dispatchEvent(new Event('open'));
  }
  receive(message: unknown): void {
    this.dispatchEvent(new MessageEvent('message', { data: JSON.stringify(message) }));
  }
  drop(): void {
    this.readyState = WebSocket.CLOSED;
    this.dispatchEvent(new Event('close'));
  }
}

const transportOn = () =>
  createWebSocketTransport({
    url: 'ws://127.0.0.1:1/contract',
    reconnectDelayMs: 10,
    createSocket: (url) => new ScriptedSocket(url) as unknown as WebSocket,
  });

afterEach(() => {
  ScriptedSocket.instances = [];
  vi.useRealTimers();
});

describe('WebSocket transport', () => {
  it('holds calls made while connecting and sends them once open', async () => {
    const transport = transportOn();
    const socket = ScriptedSocket.instances[0];
    const answer = transport.invoke('app.info', {});
    expect(socket?.sent).toEqual([]);
    socket?.open();
    expect(socket?.sent.map((frame) => JSON.parse(frame) as unknown)).toEqual([
      { type: 'call', id: 0, call: 'app.info', input: {} },
    ]);
    socket?.receive({ type: 'result', id: 0, result: { ok: true, value: 42 } });
    await expect(answer).resolves.toEqual({ ok: true, value: 42 });
    transport.close();
  });

  it('passes events to listeners and ignores frames off the wire format', () => {
    const transport = transportOn();
    const socket = ScriptedSocket.instances[0];
    socket?.open();
    const listener = vi.fn();
    transport.onEvent(listener);
    socket?.receive({ type: 'event', event: 'app.clock', payload: { seq: 1 } });
    socket?.receive({ type: 'shout', text: 'hello' });
    expect(listener).toHaveBeenCalledExactlyOnceWith('app.clock', { seq: 1 });
    transport.close();
  });

  it('fails calls in flight when the socket drops, then reconnects', async () => {
    vi.useFakeTimers();
    const transport = transportOn();
    const first = ScriptedSocket.instances[0];
    first?.open();
    const answer = transport.invoke('app.info', {});
    first?.drop();
    await expect(answer).rejects.toThrow('connection closed');
    vi.advanceTimersByTime(10);
    expect(ScriptedSocket.instances).toHaveLength(2);
    transport.close();
  });

  it('fails a call that gets no answer in time', async () => {
    vi.useFakeTimers();
    const transport = createWebSocketTransport({
      url: 'ws://127.0.0.1:1/contract',
      callTimeoutMs: 100,
      createSocket: (url) => new ScriptedSocket(url) as unknown as WebSocket,
    });
    ScriptedSocket.instances[0]?.open();
    const answer = transport.invoke('app.info', {});
    vi.advanceTimersByTime(100);
    await expect(answer).rejects.toThrow('no answer in time');
    transport.close();
  });

  it('keeps a call made while disconnected through a failed reconnect, and sends it once connected', async () => {
    vi.useFakeTimers();
    const transport = transportOn();
    const first = ScriptedSocket.instances[0];
    first?.drop();
    const answer = transport.invoke('app.info', {});
    vi.advanceTimersByTime(10);
    const second = ScriptedSocket.instances[1];
    second?.drop();
    vi.advanceTimersByTime(20);
    const third = ScriptedSocket.instances[2];
    third?.open();
    expect(third?.sent).toHaveLength(1);
    third?.receive({ type: 'result', id: 0, result: { ok: true, value: 1 } });
    await expect(answer).resolves.toEqual({ ok: true, value: 1 });
    transport.close();
  });

  it('never sends a call after it has timed out', async () => {
    vi.useFakeTimers();
    const transport = createWebSocketTransport({
      url: 'ws://127.0.0.1:1/contract',
      callTimeoutMs: 100,
      createSocket: (url) => new ScriptedSocket(url) as unknown as WebSocket,
    });
    const answer = transport.invoke('app.info', {});
    vi.advanceTimersByTime(100);
    await expect(answer).rejects.toThrow('no answer in time');
    ScriptedSocket.instances[0]?.open();
    expect(ScriptedSocket.instances[0]?.sent).toEqual([]);
    transport.close();
  });

  it('refuses calls at once after it is closed', async () => {
    const transport = transportOn();
    transport.close();
    await expect(transport.invoke('app.info', {})).rejects.toThrow('transport closed');
  });

  it('builds the socket URL on the page origin', () => {
    expect(contractSocketUrl({ protocol: 'http:', host: '127.0.0.1:4312' }, '/contract')).toBe(
      'ws://127.0.0.1:4312/contract',
    );
  });
});
