import { ICD10, ICPC2 } from '@navikt/diagnosekoder';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CodeSearchHit } from './code-search';
import { createCodeSearch } from './code-search';
import type { CodeEntry } from './coding';
import { normaliseForSearch } from './normalise';

const icpc2 = createCodeSearch(ICPC2);
const icd10 = createCodeSearch(ICD10);
const codes = (hits: ReadonlyArray<CodeSearchHit<CodeEntry>>) => hits.map((hit) => hit.entry.code);

const small: CodeEntry[] = [
  { code: 'X10', text: 'Bjørnebær allergi' },
  { code: 'X11', text: 'Kontroll hos Bjørn' },
  { code: 'X12', text: 'Allergi, bjørnebær og jordbær' },
  { code: 'X13', text: 'Stikk av isbjørn' },
  { code: 'X14', text: 'Bjørn' },
];

describe('createCodeSearch', () => {
  it('finds the codes under a code prefix in code order, case-insensitively', () => {
    const hits = icpc2.search('k8', 50);
    expect(codes(hits)).toEqual(['K80', 'K81', 'K82', 'K83', 'K84', 'K85', 'K86', 'K87', 'K88', 'K89']);
    expect(hits.every((hit) => hit.match === 'code-prefix')).toBe(true);
  });

  it('puts the exact code before the codes it prefixes', () => {
    const hits = icpc2.search('r99', 3);
    expect(hits[0]).toMatchObject({ entry: { code: 'R99' }, match: 'code' });
    expect(hits[1]).toMatchObject({ entry: { code: 'R991' }, match: 'code-prefix' });
  });

  it('reads a dotted ICD-10 code as the dotless one', () => {
    expect(icd10.search('J06.9', 1)[0]).toMatchObject({ entry: { code: 'J069' }, match: 'code' });
  });

  it('matches words without regard to case or Norwegian letters', () => {
    const hits = createCodeSearch(small).search('bjorn', 10);
    expect(hits.map((hit) => [hit.entry.code, hit.match])).toEqual([
      ['X14', 'text-start'],
      ['X10', 'text-start'],
      ['X11', 'word-prefix'],
      ['X12', 'word-prefix'],
      ['X13', 'text-infix'],
    ]);
  });

  it('ranks exact code, then code prefix, then text starts, then words elsewhere', () => {
    const order = ['code', 'code-prefix', 'text-start', 'word-prefix', 'text-infix'];
    for (const query of ['r9', 'astma', 'diabetes', 'smerte', 'infeksjon', 'a0']) {
      const ranks = icpc2.search(query, 100).map((hit) => order.indexOf(hit.match));
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    }
  });

  it('needs every query word: "diabetes type 2" finds T90 first', () => {
    const hits = icpc2.search('Diabetes type 2');
    expect(hits[0]?.entry.code).toBe('T90');
    for (const hit of hits) {
      const text = normaliseForSearch(hit.entry.text);
      expect(text).toContain('diabetes');
      expect(text).toContain('type');
      expect(text).toContain('2');
    }
  });

  it('finds Norwegian compounds from their second half', () => {
    const hits = icd10.search('hjerteinfarkt', 200);
    expect(hits.length).toBeGreaterThan(5);
    expect(icd10.search('infarkt', 400).map((hit) => hit.entry.code)).toEqual(expect.arrayContaining(['I219', 'D735']));
  });

  it('finds accented text from the plain letters: "diare" finds "Diaré"', () => {
    expect(codes(icpc2.search('diare'))).toContain('D11');
    expect(codes(icd10.search('amobe'))).toContain('A060');
  });

  it('returns nothing for an empty query or a zero limit, and at most the limit', () => {
    expect(icpc2.search('', 10)).toEqual([]);
    expect(icpc2.search('  / ', 10)).toEqual([]);
    expect(icpc2.search('astma', 0)).toEqual([]);
    expect(icd10.search('a', 7)).toHaveLength(7);
  });

  it('agrees with a plain scan of the whole list: same set of hits when the limit is not reached', () => {
    const words = ['smerte', 'akutt', 'inf', 'brudd', 'kronisk lunge', 'ø', 'æ', 'type 1', 'k', 'x9'];
    fc.assert(
      fc.property(fc.constantFrom(...words), (query) => {
        const tokens = normaliseForSearch(query).split(' ');
        const expected = ICD10.filter((entry) => {
          const text = normaliseForSearch(entry.text);
          return tokens.every((token) => text.includes(token));
        }).map((entry) => entry.code);
        const found = icd10
          .search(query, 100_000)
          .filter((hit) => hit.match !== 'code' && hit.match !== 'code-prefix')
          .map((hit) => hit.entry.code);
        expect(new Set(found)).toEqual(new Set(expected));
      }),
      { numRuns: 20 },
    );
  });
});

describe('ICPC-2 with the everyday words GPs type', () => {
  it('finds R74 for "forkjøl", R05 for "hoste", R74 for "R74", and every synonym names a real code', async () => {
    const { icpc2Codes, isIcpc2Code } = await import('./icpc2');
    const { icpc2Synonyms } = await import('./icpc2-synonyms');
    const search = createCodeSearch(icpc2Codes, icpc2Synonyms);
    expect(search.search('forkjøl')[0]?.entry.code).toBe('R74');
    expect(search.search('hoste')[0]?.entry.code).toBe('R05');
    expect(search.search('R74')[0]?.entry.code).toBe('R74');
    expect(search.search('blærekatarr')[0]?.entry.code).toBe('U71');
    expect([...icpc2Synonyms.keys()].filter((code) => !isIcpc2Code(code))).toEqual([]);
    // Without the aliases the everyday word finds nothing: the list is what makes it work.
    expect(createCodeSearch(icpc2Codes).search('forkjøl')).toEqual([]);
  });
});
