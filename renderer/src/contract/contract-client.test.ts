import { describe, expect, it, vi } from 'vitest';
import { fakeTransport } from '../test/fake-bridge';
import { ContractClient } from './contract-client';

const info = { name: 'Akson', version: '0.1.0', mode: 'dev-host', buildTime: '2026-11-28T08:00:00.000Z' };

describe('ContractClient', () => {
  it('returns a call value that matches the contract', async () => {
    const client = new ContractClient(fakeTransport({ 'app.info': { ok: true, value: info } }).transport);
    await expect(client.call('app.info', {})).resolves.toEqual(info);
  });

  it('raises the error code core answered with', async () => {
    const client = new ContractClient(
      fakeTransport({ 'app.info': { ok: false, error: { code: 'FORBIDDEN', message: 'no' } } }).transport,
    );
    await expect(client.call('app.info', {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('refuses an answer outside the contract, and a malformed envelope', async () => {
    const offContract = new ContractClient(
      fakeTransport({ 'app.info': { ok: true, value: { ...info, mode: 'root' } } }).transport,
    );
    await expect(offContract.call('app.info', {})).rejects.toMatchObject({ code: 'INTERNAL' });
    const malformed = new ContractClient(fakeTransport({ 'app.info': 'yes' }).transport);
    await expect(malformed.call('app.info', {})).rejects.toMatchObject({ code: 'INTERNAL' });
  });

  it('reports a transport failure as TRANSPORT', async () => {
    const client = new ContractClient(fakeTransport({}).transport);
    await expect(client.call('app.info', {})).rejects.toMatchObject({ code: 'TRANSPORT' });
  });

  it('delivers only the subscribed event, and only payloads that match the contract', () => {
    const { transport, push } = fakeTransport({});
    const client = new ContractClient(transport);
    const listener = vi.fn();
    const stop = client.on('app.clock', listener);
    push('app.clock', { now: '2026-11-28T08:00:00.000Z', seq: 1 });
    push('app.clock', { now: 'never', seq: 2 });
    push('other.event', { now: '2026-11-28T08:00:00.000Z', seq: 3 });
    stop();
    push('app.clock', { now: '2026-11-28T08:00:01.000Z', seq: 4 });
    expect(listener.mock.calls).toEqual([[{ now: '2026-11-28T08:00:00.000Z', seq: 1 }]]);
  });
});
