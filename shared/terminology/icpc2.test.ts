import { ICPC2 } from '@navikt/diagnosekoder';
import { describe, expect, it } from 'vitest';
import { ICPC2_SYSTEM } from './code-systems';
import {
  icpc2Chapter,
  icpc2ChapterNames,
  icpc2Coding,
  icpc2Component,
  icpc2Text,
  isIcpc2Code,
} from './icpc2';
import { UnknownCodeError } from './unknown-code-error';

describe('ICPC-2', () => {
  it('makes a Coding with the Norwegian OID and the library text', () => {
    expect(icpc2Coding('T90')).toEqual({ system: ICPC2_SYSTEM, code: 'T90', display: 'Diabetes type 2' });
    expect(icpc2Coding(' k86 ')).toEqual({ system: ICPC2_SYSTEM, code: 'K86', display: 'Hypertensjon ukomplisert' });
  });

  it('throws a typed error naming the system but not the code for an unknown code', () => {
    const attempt = () => icpc2Coding('K00');
    expect(attempt).toThrow(UnknownCodeError);
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ system: ICPC2_SYSTEM, code: 'K00' });
      expect((error as Error).message).not.toContain('K00');
    }
  });

  it('knows every code of the library and nothing else', () => {
    expect(ICPC2.every((entry) => isIcpc2Code(entry.code))).toBe(true);
    for (const notACode of ['', 'K', 'K8', 'K860', 'Q70', 'A191 x', 'T9O']) {
      expect(isIcpc2Code(notACode)).toBe(false);
    }
    expect(icpc2Text('R96')).toBe('Astma');
    expect(icpc2Text('R00')).toBeUndefined();
  });

  it('names the chapter of every code from its letter', () => {
    expect(icpc2Chapter('K78')).toEqual({ letter: 'K', name: 'Hjerte-karsystemet' });
    expect(icpc2Chapter('p76')).toEqual({ letter: 'P', name: 'Psykisk' });
    expect(icpc2Chapter('Z12').name).toBe('Sosiale problemer');
    for (const entry of ICPC2) {
      expect(icpc2Chapter(entry.code).letter).toBe(entry.code.charAt(0));
    }
    expect(Object.keys(icpc2ChapterNames).join('')).toBe('ABDFHKLNPRSTUWXYZ');
  });

  it('places 01-29 in symptoms, 30-69 in process and 70-99 in diagnoses, four-character codes too', () => {
    expect(icpc2Component('R05')).toBe('symptom');
    expect(icpc2Component('A29')).toBe('symptom');
    expect(icpc2Component('A191')).toBe('symptom');
    expect(icpc2Component('K86')).toBe('diagnosis');
    expect(icpc2Component('R991')).toBe('diagnosis');
    expect(icpc2Component('A70')).toBe('diagnosis');
    expect(() => icpc2Component('X00')).toThrow(UnknownCodeError);
  });
});
