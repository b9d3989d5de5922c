import { describe, expect, it } from 'vitest';
import { ContractError } from '../../../shared/contract';
import { memoryLog } from '../test-support/memory-log';
import { createDispatcher, type CallHandlers } from './dispatcher';

const appInfo = { name: 'Akson', version: '1.2.3', mode: 'dev-host' as const, buildTime: '2026-11-28T08:00:00.000Z' };

const dispatcherWith = (handler: CallHandlers['app.info']) => {
  const { log, lines } = memoryLog();
  const unused = (): never => {
    throw new Error('not part of this test');
  };
  return {
    dispatch: createDispatcher(
      {
        'app.info': handler,
        'session.status': unused,
        'session.login': unused,
        'session.lock': unused,
        'chart.open': unused,
        'patients.search': unused,
        'worklist.get': unused,
        'chart.history': unused,
        'chart.verifySignature': unused,
        'journal.save': unused,
        'journal.signNote': unused,
        'draft.save': unused,
        'draft.get': unused,
        'draft.delete': unused,
        'draft.list': unused,
        'access.selfAuthorise': unused,
        'access.log': unused,
        'access.recordBlock': unused,
        'sync.status': unused,
        'sync.now': unused,
        'sync.conflicts': unused,
        'sync.resolve': unused,
        'sync.failed': unused,
        'sync.discard': unused,
        'sync.retry': unused,
        'log.write': unused,
        'session.activity': unused,
        'app.health': unused,
        'cache.rebuild': unused,
        'settings.get': unused,
        'settings.set': unused,
        'log.export': unused,
      },
      log,
    ),
    lines,
  };
};

describe('contract dispatcher', () => {
  it('answers a known call with its handler value', async () => {
    const { dispatch } = dispatcherWith(() => appInfo);
    await expect(dispatch('app.info', {})).resolves.toEqual({ ok: true, value: appInfo });
  });

  it.each([['fs.readFile'], ['toString'], ['__proto__'], ['constructor'], [42], [null], [undefined]])(
    'refuses the unknown call %s with UNKNOWN_CALL',
    async (call) => {
      const { dispatch } = dispatcherWith(() => appInfo);
      const result = await dispatch(call, {});
      expect(result).toMatchObject({ ok: false, error: { code: 'UNKNOWN_CALL' } });
    },
  );

  it('refuses input outside the schema without echoing the input into the error or the log', async () => {
    const { dispatch, lines } = dispatcherWith(() => appInfo);
    const result = await dispatch('app.info', { nationalId: '15828099915' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(JSON.stringify(result)).not.toContain('15828099915');
    expect(lines().join('\n')).not.toContain('15828099915');
  });

  it('refuses a missing input', async () => {
    const { dispatch } = dispatcherWith(() => appInfo);
    await expect(dispatch('app.info', undefined)).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('turns an unexpected handler error into INTERNAL and keeps its message out of answer and log', async () => {
    const { dispatch, lines } = dispatcherWith(() => {
      throw new Error('Kari Nordmann could not be found');
    });
    const result = await dispatch('app.info', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('Kari');
    expect(lines().join('\n')).not.toContain('Kari');
    expect(lines().join('\n')).toContain('contract call failed');
  });

  it('passes a ContractError thrown by a handler through with its own code', async () => {
    const { dispatch } = dispatcherWith(() => {
      throw new ContractError('FORBIDDEN', 'not for you');
    });
    await expect(dispatch('app.info', {})).resolves.toEqual({
      ok: false,
      error: { code: 'FORBIDDEN', message: 'not for you' },
    });
  });

  it('refuses to pass on a handler answer that breaks the output schema', async () => {
    const { dispatch } = dispatcherWith(() => ({ ...appInfo, version: 'not a version' }));
    await expect(dispatch('app.info', {})).resolves.toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});
