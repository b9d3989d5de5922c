import { describe, expect, it } from 'vitest';
import { appInfoSchema, callNames, calls, isCallName } from './calls';
import { eventNames, events, isEventName } from './events';
import { invokeRequestSchema, wsClientMessageSchema, wsHostMessageSchema } from './transport';

describe('contract', () => {
  it('names calls and events as <area>.<verb or noun> and describes each', () => {
    for (const name of [...callNames, ...eventNames]) {
      expect(name).toMatch(/^[a-z]+\.[a-zA-Z]+$/);
    }
    for (const spec of [...Object.values(calls), ...Object.values(events)]) {
      expect(spec.description.length).toBeGreaterThan(10);
    }
  });

  it('recognises call and event names only as own properties', () => {
    expect(isCallName('app.info')).toBe(true);
    expect(isEventName('app.clock')).toBe(true);
    for (const name of ['toString', '__proto__', 'hasOwnProperty', 'app.clock', '', 1]) {
      expect(isCallName(name)).toBe(false);
    }
    expect(isEventName('app.info')).toBe(false);
  });

  it('accepts a well-formed app.info answer and refuses a malformed one', () => {
    const good = { name: 'Akson', version: '0.1.0', mode: 'electron', buildTime: '2026-11-28T08:00:00.000Z' };
    expect(appInfoSchema.parse(good)).toEqual(good);
    expect(appInfoSchema.safeParse({ ...good, mode: 'server' }).success).toBe(false);
    expect(appInfoSchema.safeParse({ ...good, buildTime: 'yesterday' }).success).toBe(false);
    expect(appInfoSchema.safeParse({ ...good, version: '1' }).success).toBe(false);
  });

  it('takes no arguments for app.info: a stray one is an error, not ignored', () => {
    expect(calls['app.info'].input.safeParse({}).success).toBe(true);
    expect(calls['app.info'].input.safeParse({ verbose: true }).success).toBe(false);
  });

  it('keeps the transport envelopes strict', () => {
    expect(invokeRequestSchema.safeParse({ call: 'app.info', input: {} }).success).toBe(true);
    expect(invokeRequestSchema.safeParse({ call: 'app.info', input: {}, channel: 'x' }).success).toBe(false);
    expect(wsClientMessageSchema.safeParse({ type: 'call', id: -1, call: 'app.info', input: {} }).success).toBe(false);
    expect(wsClientMessageSchema.safeParse({ type: 'call', id: 1.5, call: 'app.info', input: {} }).success).toBe(false);
    expect(
      wsHostMessageSchema.safeParse({ type: 'result', id: 1, result: { ok: false, error: { code: 'NOPE', message: '' } } })
        .success,
    ).toBe(false);
  });
});
