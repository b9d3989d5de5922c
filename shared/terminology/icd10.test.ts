import { ICD10 } from '@navikt/diagnosekoder';
import { describe, expect, it } from 'vitest';
import { ICD10_SYSTEM } from './code-systems';
import { icd10Coding, icd10Text, isIcd10Code } from './icd10';
import { UnknownCodeError } from './unknown-code-error';

describe('ICD-10', () => {
  it('makes a Coding with the Norwegian OID and the library text, the code written without a dot', () => {
    const expected = { system: ICD10_SYSTEM, code: 'J069', display: 'Uspesifisert akutt infeksjon i øvre luftveier' };
    expect(icd10Coding('J069')).toEqual(expected);
    expect(icd10Coding('j06.9')).toEqual(expected);
  });

  it('throws a typed error for an unknown code', () => {
    expect(() => icd10Coding('J0699')).toThrow(UnknownCodeError);
    expect(() => icd10Coding('')).toThrow(UnknownCodeError);
  });

  it('knows every code of the library', () => {
    expect(ICD10).toHaveLength(19634);
    expect(ICD10.every((entry) => isIcd10Code(entry.code))).toBe(true);
    expect(isIcd10Code('T90')).toBe(false);
    expect(icd10Text('I219')).toBe('Uspesifisert akutt hjerteinfarkt');
  });

  it('keeps the lower-case suffix of Norwegian codes such as I210a, whatever case is typed', () => {
    expect(icd10Coding('I210A').code).toBe('I210a');
    expect(icd10Coding('i210a').display).toContain('type 4a');
  });
});
