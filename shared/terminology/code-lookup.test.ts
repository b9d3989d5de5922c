import { describe, expect, it } from 'vitest';
import { codingFor, isKnownCode } from './code-lookup';
import { canonicalCodeSystem, ICD10_SYSTEM, ICPC2_SYSTEM, ICPC2_SYSTEM_ALIAS } from './code-systems';
import { UnknownCodeError } from './unknown-code-error';

describe('code lookup by system', () => {
  it('accepts the international ICPC-2 URI and answers with the Norwegian OID', () => {
    expect(canonicalCodeSystem(ICPC2_SYSTEM_ALIAS)).toBe(ICPC2_SYSTEM);
    expect(codingFor(ICPC2_SYSTEM_ALIAS, 'R96')).toEqual({ system: ICPC2_SYSTEM, code: 'R96', display: 'Astma' });
    expect(isKnownCode(ICPC2_SYSTEM_ALIAS, 'R96')).toBe(true);
  });

  it('looks ICD-10 codes up in ICD-10 only', () => {
    expect(codingFor(ICD10_SYSTEM, 'I219').display).toBe('Uspesifisert akutt hjerteinfarkt');
    expect(isKnownCode(ICD10_SYSTEM, 'R96')).toBe(false);
    expect(isKnownCode(ICPC2_SYSTEM, 'I219')).toBe(false);
  });

  it('refuses a system it does not know', () => {
    expect(canonicalCodeSystem('http://snomed.info/sct')).toBeUndefined();
    expect(isKnownCode('http://snomed.info/sct', 'R96')).toBe(false);
    expect(() => codingFor('http://snomed.info/sct', 'R96')).toThrow(UnknownCodeError);
  });
});
