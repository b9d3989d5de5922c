import { tnr } from '@navikt/fnrvalidator';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { drawSyntheticNationalId, mod11CheckDigit, syntheticNationalIdFor } from './national-id';
import { Random } from './random';

const DAY = 86_400_000;
const birthDates = fc.integer({ min: Date.UTC(1900, 0, 1) / DAY, max: Date.UTC(2039, 11, 31) / DAY }).map((day) => new Date(day * DAY));

describe('synthetic national ids', () => {
  it('computes the check digits of a known Tenor number', () => {
    // 10915596784 is the Tenor example in fnrvalidator's README.
    expect(syntheticNationalIdFor(new Date(Date.UTC(1955, 10, 10)), 967)).toBe('10915596784');
  });

  it('reports an impossible check digit as undefined and 11 as 0', () => {
    // A weighted sum of 1 asks for check digit 10, which no number may have.
    expect(mod11CheckDigit([0, 0, 0, 1, 0, 0, 0, 0, 0], [3, 7, 6, 1, 8, 9, 4, 5, 2])).toBeUndefined();
    expect(mod11CheckDigit([0, 0, 0, 0, 0, 0, 0, 0, 0], [3, 7, 6, 1, 8, 9, 4, 5, 2])).toBe(0);
  });

  it('draws numbers fnrvalidator accepts as Tenor (tnr) numbers, with the birth date and month + 80', () => {
    fc.assert(
      fc.property(birthDates, fc.constantFrom('male', 'female'), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (birthDate, gender, seed) => {
        const id = drawSyntheticNationalId(new Random(seed), birthDate, gender, new Set());
        expect(tnr(id)).toEqual({ status: 'valid', type: 'tnr' });
        expect(Number(id.slice(0, 2))).toBe(birthDate.getUTCDate());
        expect(Number(id.slice(2, 4))).toBe(birthDate.getUTCMonth() + 1 + 80);
        expect(Number(id.slice(4, 6))).toBe(birthDate.getUTCFullYear() % 100);
      }),
      { numRuns: 500 },
    );
  });

  it('encodes the century in the individual number and keeps the traditional gender digit', () => {
    fc.assert(
      fc.property(birthDates, fc.constantFrom('male', 'female'), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (birthDate, gender, seed) => {
        const id = drawSyntheticNationalId(new Random(seed), birthDate, gender, new Set());
        const individual = Number(id.slice(6, 9));
        const year = birthDate.getUTCFullYear();
        if (year >= 2000) {
          expect(individual).toBeGreaterThanOrEqual(500);
        } else if (year < 1940) {
          expect(individual).toBeLessThan(500);
        } else {
          expect(individual < 500 || individual >= 900).toBe(true);
        }
        expect(individual % 2 === 1).toBe(gender === 'male');
      }),
      { numRuns: 500 },
    );
  });

  it('never hands out the same number twice', () => {
    const random = new Random(1);
    const taken = new Set<string>();
    const birthDate = new Date(Date.UTC(1980, 4, 17));
    const ids = Array.from({ length: 150 }, (_, i) => drawSyntheticNationalId(random, birthDate, i % 2 ? 'male' : 'female', taken));
    expect(new Set(ids).size).toBe(150);
  });
});
