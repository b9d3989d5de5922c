import { describe, expect, it } from 'vitest';
import { memoryLog } from '../test-support/memory-log';

describe('logger', () => {
  it('censors patient fields and call inputs but keeps ids and counts', () => {
    const { log, lines } = memoryLog();
    log.info(
      { call: 'patient.open', count: 3, input: { nationalId: '15828099915' }, patient: { name: 'Kari Nordmann', text: 'Anamnese …' } },
      'opened',
    );
    const line = lines().join('\n');
    expect(line).not.toContain('15828099915');
    expect(line).not.toContain('Kari');
    expect(line).not.toContain('Anamnese');
    expect(JSON.parse(lines()[0] ?? '{}')).toMatchObject({ call: 'patient.open', count: 3, logger: 'test' });
  });
});
