import { describe, expect, it } from 'vitest';
import { ContractClient } from '../contract/contract-client';
import { fakeTransport } from '../test/fake-bridge';
import { callsOf, ok } from '../test/render-with-contract';
import { loggableError, reportUncaughtErrors } from './report-errors';

describe('uncaught errors', () => {
  it('go to core as type and stack, without a message field', () => {
    const { transport } = fakeTransport({ 'log.write': ok({ accepted: true }) });
    const stop = reportUncaughtErrors(new ContractClient(transport));
    window.dispatchEvent(new ErrorEvent('error', { error: new RangeError('Kari Nordmann') }));
    stop();
    // Handled here, as a page would: an error event nobody prevents is reported by the test runner.
    const handled = (event: ErrorEvent): void => event.preventDefault();
    window.addEventListener('error', handled);
    window.dispatchEvent(new ErrorEvent('error', { error: new RangeError('again'), cancelable: true }));
    window.removeEventListener('error', handled);
    const calls = callsOf(transport, 'log.write');
    expect(calls).toHaveLength(1);
    expect(calls[0]?.[1]).toMatchObject({ level: 'error', message: 'uncaught error', error: { name: 'RangeError' } });
    expect(Object.keys((calls[0]?.[1] as { error: object }).error)).toEqual(['name', 'stack']);
  });

  it('names a thrown non-Error by its type only', () => {
    expect(loggableError('Kari Nordmann')).toEqual({ name: 'string' });
  });
});
