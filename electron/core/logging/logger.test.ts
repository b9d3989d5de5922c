import { describe, expect, it } from 'vitest';
import { memoryLog } from '../test-support/memory-log';
import { withCorrelation } from './logger';

const FNR = '15828099915';
const JWT = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJQcmFjdGl0aW9uZXIvMSJ9.c2lnbmF0dXJlLXBhcnQ';

describe('logger', () => {
  it('censors patient fields and call inputs but keeps ids and counts', () => {
    const { log, lines } = memoryLog();
    log.info(
      { call: 'patient.open', count: 3, input: { nationalId: FNR }, patient: { name: 'Kari Nordmann', text: 'Anamnese …' } },
      'opened',
    );
    const line = lines().join('\n');
    expect(line).not.toContain(FNR);
    expect(line).not.toContain('Kari');
    expect(line).not.toContain('Anamnese');
    expect(JSON.parse(lines()[0] ?? '{}')).toMatchObject({ call: 'patient.open', count: 3, logger: 'test', redactedFields: 2 });
  });

  it('keeps an error as its type and frames, never its message, also when logged bare', () => {
    const { log, lines } = memoryLog();
    const error = new TypeError(`Kari Nordmann (${FNR}) not found`, { cause: new Error(`token ${JWT}`) });
    log.error(error);
    log.error({ err: error, call: 'chart.open' }, 'chart not opened');
    const text = lines().join('\n');
    expect(text).not.toContain('Kari');
    expect(text).not.toContain(FNR);
    expect(text).not.toContain(JWT);
    const [bare, withFields] = lines().map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(bare).toMatchObject({ msg: 'TypeError', err: { type: 'TypeError', message: '[redacted]', cause: { type: 'Error' } } });
    expect((bare?.err as { frames: string[] }).frames.length).toBeGreaterThan(0);
    expect(withFields).toMatchObject({ msg: 'chart not opened', call: 'chart.open', err: { type: 'TypeError' } });
  });

  it('drops interpolation arguments and scrubs ids and tokens out of a message', () => {
    const { log, lines } = memoryLog();
    log.info('opened %s', 'Kari Nordmann');
    log.warn(`login for ${FNR} with Bearer ${JWT}`);
    const text = lines().join('\n');
    expect(text).not.toContain('Kari');
    expect(text).not.toContain(FNR);
    expect(text).not.toContain(JWT);
  });

  it('puts version, session id and a correlation id on the lines of one call', () => {
    const { log, lines } = memoryLog();
    withCorrelation(log, 'c0ffee00-1111-2222-3333-444455556666').info({ call: 'app.info' }, 'answered');
    expect(JSON.parse(lines()[0] ?? '{}')).toMatchObject({
      version: '0.0.0-test',
      sessionId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      correlationId: 'c0ffee00-1111-2222-3333-444455556666',
    });
  });

  it('runs child bindings through the same allow-list', () => {
    const { log, lines } = memoryLog();
    log.child({ patient: 'Kari Nordmann', call: 'x' }).info('bound');
    expect(lines()[0]).not.toContain('Kari');
    expect(JSON.parse(lines()[0] ?? '{}')).toMatchObject({ call: 'x' });
  });
});

describe('logger children', () => {
  it('keeps the bindings of every level of child', () => {
    const { log, lines } = memoryLog();
    log.child({ call: 'a' }).child({ correlationId: 'c1' }).info('nested');
    expect(JSON.parse(lines()[0] ?? '{}')).toMatchObject({ call: 'a', correlationId: 'c1' });
  });
});
