import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redactFields, scrubText, stackFrames } from './redact';

describe('redactFields', () => {
  it('drops unknown keys at every depth and counts them', () => {
    const out = redactFields({ call: 'a', context: { count: 1, nested: { deeper: 'x' } }, patient: { name: 'Ola' } });
    expect(out).toEqual({ call: 'a', context: { count: 1, nested: '[redacted]' }, redactedFields: 1 });
  });

  it('refuses a string with spaces under a scalar key (a name where a code belongs)', () => {
    expect(redactFields({ call: 'Kari Nordmann', code: 'PIN_LOCKED' })).toEqual({ call: '[redacted]', code: 'PIN_LOCKED' });
  });

  it('replaces national ids, JWTs and e-mail addresses inside kept strings', () => {
    expect(scrubText('Patient/15828099915 150580 12345 ola@example.no eyJa1.eyJb2.sig')).toBe('Patient/[id] [id] [email] [jwt]');
  });

  it('keeps stack frames without the message line', () => {
    const error = new Error('Kari Nordmann');
    const frames = stackFrames(error.stack);
    expect(frames.length).toBeGreaterThan(0);
    expect(frames.join('\n')).not.toContain('Kari');
  });

  it('never lets an 11-digit run through, whatever the shape of the fields', () => {
    const fnr = fc.stringMatching(/^\d{11}$/);
    const leaf = fc.oneof(fnr, fnr.map((id) => `Pasient ${id}`), fnr.map((id) => new Error(`no ${id}`)));
    const keys = fc.constantFrom('call', 'code', 'context', 'err', 'issues', 'patient', 'status', 'settings', 'error');
    const tree = fc.letrec((tie) => ({
      node: fc.oneof({ depthSize: 'small' }, leaf, fc.dictionary(keys, tie('node'), { maxKeys: 4 }), fc.array(tie('node'), { maxLength: 3 })),
    })).node;
    fc.assert(
      fc.property(fc.dictionary(keys, tree, { maxKeys: 5 }), (fields) => {
        expect(JSON.stringify(redactFields(fields as Record<string, unknown>))).not.toMatch(/\d{11}/);
      }),
      { numRuns: 300 },
    );
  });
});

describe('messages and phrases', () => {
  it('treats a capitalised word as a name, but keeps CamelCase type names and our own words', async () => {
    const { scrubMessage } = await import('./redact');
    expect(scrubMessage('opened Kari Nordmann after TypeError in Electron')).toBe('opened [name] [name] after TypeError in Electron');
  });
});
