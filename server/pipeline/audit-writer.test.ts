import { describe, expect, it } from 'vitest';
import { auditText, MAX_AUDIT_TEXT } from './audit-writer';

describe('auditText', () => {
  it('writes NUL and lone surrogates as visible escapes and keeps the rest', () => {
    expect(auditText(undefined)).toBeNull();
    expect(auditText('Patient/abc')).toBe('Patient/abc');
    expect(auditText('a\u0000b\ud800c\udfff')).toBe('a\\u0000b\\ud800c\\udfff');
    expect(auditText('😀')).toBe('😀');
  });

  it('cuts long values without splitting a surrogate pair', () => {
    expect(auditText('x'.repeat(10_000))).toHaveLength(MAX_AUDIT_TEXT);
    const cut = auditText(`${'x'.repeat(MAX_AUDIT_TEXT - 1)}😀`) ?? '';
    expect(cut).toBe('x'.repeat(MAX_AUDIT_TEXT - 1));
  });
});
