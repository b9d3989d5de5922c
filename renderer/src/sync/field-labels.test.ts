import { describe, expect, it } from 'vitest';
import { fieldLabelKey } from './field-labels';

describe('fieldLabelKey', () => {
  it('names the fields of an allergy and a problem, whatever the list positions, and nothing else', () => {
    expect(fieldLabelKey('reaction[0].manifestation[0].text')).toBe('reaction');
    expect(fieldLabelKey('reaction[1].severity')).toBe('severity');
    expect(fieldLabelKey('clinicalStatus.coding[0].code')).toBe('status');
    expect(fieldLabelKey('abatementDateTime')).toBe('abatement');
    expect(fieldLabelKey('identifier[0].value')).toBeUndefined();
    expect(fieldLabelKey('__proto__')).toBeUndefined();
    expect(fieldLabelKey('toString')).toBeUndefined();
  });
});
