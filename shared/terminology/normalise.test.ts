import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseForSearch } from './normalise';

// Names and words as typed in Norway: Latin letters with Norwegian, Sami and common accents.
const latin = fc.string({ unit: fc.constantFrom(...'ÆØÅæøåÉéÈèÜüÁáČčŠšŽžĐđŊŋŦŧ Bjørn-Ås\t\nKari'.split('')) });
// Text as it may come: any Unicode at all, with the Latin alphabet above well represented.
const text = fc.oneof(fc.string({ unit: 'binary' }), latin);

describe('normaliseForSearch', () => {
  it('folds Norwegian letters the way a keyboard without them would type them', () => {
    expect(normaliseForSearch('Bjørn Ærlig Åsen')).toBe('bjorn aerlig asen');
  });

  it('strips accents and folds the letters NFD does not decompose', () => {
    expect(normaliseForSearch('Diaré Müller Čáhppes Đuššá Ŋuvttat Straße Łukasz')).toBe(
      'diare muller cahppes dussa nuvttat strasse lukasz',
    );
  });

  it('collapses whitespace and trims', () => {
    expect(normaliseForSearch('  Kari \t Nordmann\n')).toBe('kari nordmann');
  });

  it('is idempotent', () => {
    fc.assert(
      fc.property(text, (input) => {
        const once = normaliseForSearch(input);
        expect(normaliseForSearch(once)).toBe(once);
      }),
      { numRuns: 2000 },
    );
  });

  it('never leaves a letter that lowercases, nor a combining mark', () => {
    fc.assert(
      fc.property(text, (input) => {
        const output = normaliseForSearch(input);
        expect(output).toBe(output.toLowerCase());
        expect(output).not.toMatch(/\p{M}/u);
      }),
      { numRuns: 2000 },
    );
  });

  // Latin only: Unicode case mapping is not reversible everywhere (Greek final sigma, ŉ).
  it('makes case irrelevant for Latin text: a word and its upper-cased form fold alike', () => {
    fc.assert(
      fc.property(latin, (input) => {
        expect(normaliseForSearch(input.toUpperCase())).toBe(normaliseForSearch(input.toLowerCase()));
      }),
      { numRuns: 1000 },
    );
  });
});
