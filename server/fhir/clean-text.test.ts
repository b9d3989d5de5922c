import { describe, expect, it } from 'vitest';
import { MAX_VERSION_ID, parseQuery, parseVersionId, textProblem } from './clean-text';

describe('clean text rules', () => {
  it('names NUL and lone surrogates, and lets real characters through', () => {
    expect(textProblem('Bjørn Ærlig 😀 \t\n')).toBeUndefined();
    expect(textProblem('a\u0000')).toMatch(/NUL/);
    expect(textProblem('\ud800')).toMatch(/lone surrogate/);
    expect(textProblem('x\udc00')).toMatch(/lone surrogate/);
    expect(textProblem('\ud83d\ude00')).toBeUndefined();
  });

  it('parses a query like URLSearchParams, but refuses what it would have replaced', () => {
    expect(parseQuery('a=1&b=x+y&&c&d=e=f&name=Bj%C3%B8rn')).toEqual([
      ['a', '1'],
      ['b', 'x y'],
      ['c', ''],
      ['d', 'e=f'],
      ['name', 'Bjørn'],
    ]);
    for (const bad of ['name=%FF', 'name=%ED%A0%80', 'name=%00', 'na%00me=x', 'name=%E0%A4%A']) {
      expect(() => parseQuery(bad), bad).toThrow(/query/);
    }
  });

  it('bounds version ids to the integer column', () => {
    expect(parseVersionId('1', 'v')).toBe(1);
    expect(parseVersionId(String(MAX_VERSION_ID), 'v')).toBe(MAX_VERSION_ID);
    for (const bad of ['0', '01', '-1', '1.0', '1e3', '', String(MAX_VERSION_ID + 1), '99999999999999999999']) {
      expect(() => parseVersionId(bad, 'v'), bad).toThrow(/whole number/);
    }
  });
});
