import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { normaliseForSearch } from '../terminology/normalise';
import { centuryOf, isValidFhNumber, NATIONAL_ID_SYSTEMS, parseBirthDate, parsePatientQuery } from './parse-patient-query';

const TODAY = new Date('2026-05-01T10:00:00Z');
const K1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const K2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
const check = (digits: number[], weights: number[]): number | undefined => {
  const r = 11 - (weights.reduce((sum, w, i) => sum + w * (digits[i] ?? 0), 0) % 11);
  return r === 11 ? 0 : r === 10 ? undefined : r;
};
/** Appends both check digits (strict mod 11, as before 2032), or undefined when k1 or k2 would be 10. */
const withCheckDigits = (nine: string): string | undefined => {
  const digits = [...nine].map(Number);
  const k1 = check(digits, K1);
  if (k1 === undefined) {
    return undefined;
  }
  const k2 = check([...digits, k1], K2);
  return k2 === undefined ? undefined : `${nine}${k1}${k2}`;
};
const pad2 = (n: number): string => String(n).padStart(2, '0');

const birthDay = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2026-04-30T00:00:00Z'), noInvalidDate: true });
/** Fødselsnummer (offset 0), D-number (day + 40) or Tenor (month + 80), with valid check digits. */
const nationalId = fc
  .record({ day: birthDay, individual: fc.integer({ min: 0, max: 999 }), kind: fc.constantFrom('fnr', 'dnr', 'tnr') })
  .map(({ day, individual, kind }) => {
    const d = day.getUTCDate() + (kind === 'dnr' ? 40 : 0);
    const m = day.getUTCMonth() + 1 + (kind === 'tnr' ? 80 : 0);
    return { kind, value: withCheckDigits(`${pad2(d)}${pad2(m)}${String(day.getUTCFullYear()).slice(2)}${String(individual).padStart(3, '0')}`) };
  })
  .filter((id): id is { kind: 'fnr' | 'dnr' | 'tnr'; value: string } => id.value !== undefined);
const fhNumber = fc
  .tuple(fc.constantFrom('8', '9'), fc.stringMatching(/^\d{8}$/))
  .map(([first, rest]) => withCheckDigits(`${first}${rest}`))
  .filter((value): value is string => value !== undefined);

describe('parsePatientQuery: national ids', () => {
  it('reads every valid fødselsnummer, D-number and Tenor number, with or without a space after the birth date', () => {
    fc.assert(
      fc.property(nationalId, fc.boolean(), ({ kind, value }, spaced) => {
        const typed = spaced ? `${value.slice(0, 6)} ${value.slice(6)}` : value;
        expect(parsePatientQuery(`  ${typed} `, TODAY)).toEqual({
          kind: 'nationalId',
          value,
          system: kind === 'dnr' ? NATIONAL_ID_SYSTEMS.dnr : NATIONAL_ID_SYSTEMS.fnr,
          idKind: kind === 'dnr' ? 'dnr' : 'fnr',
        });
      }),
    );
  });

  it('reads every valid FH number (first digit 8 or 9, check digits, no date)', () => {
    fc.assert(
      fc.property(fhNumber, (value) => {
        expect(isValidFhNumber(value)).toBe(true);
        expect(parsePatientQuery(value, TODAY)).toEqual({ kind: 'nationalId', value, system: NATIONAL_ID_SYSTEMS.fh, idKind: 'fh' });
      }),
    );
  });

  it('calls any one mistyped digit of a valid number invalid, never another valid number', () => {
    fc.assert(
      fc.property(fc.oneof(nationalId.map((id) => id.value), fhNumber), fc.nat(10), fc.integer({ min: 1, max: 9 }), (value, at, by) => {
        const digit = (Number(value[at]) + by) % 10;
        const typo = `${value.slice(0, at)}${digit}${value.slice(at + 1)}`;
        expect(parsePatientQuery(typo, TODAY).kind).toBe('invalidNationalId');
      }),
    );
  });

  it('says why a number is invalid', () => {
    // A real date (1 Jan 1980) with made-up last digits: only the check digits can tell.
    expect(parsePatientQuery('01018012345', TODAY)).toMatchObject({ kind: 'invalidNationalId', reason: 'check-digits' });
    const badDate = withCheckDigits('321380123');
    if (badDate) {
      expect(parsePatientQuery(badDate, TODAY)).toMatchObject({ kind: 'invalidNationalId', reason: 'date' });
    }
    const hNumber = withCheckDigits('015080123');
    if (hNumber) {
      expect(parsePatientQuery(hNumber, TODAY)).toMatchObject({ kind: 'invalidNationalId', reason: 'unsupported-kind' });
    }
  });
});

describe('parsePatientQuery: birth dates', () => {
  it('reads DD.MM.YYYY, D.M.YYYY, YYYY-MM-DD and DDMMYYYY as that date', () => {
    fc.assert(
      fc.property(birthDay, fc.constantFrom('dotted', 'short-dotted', 'iso', 'compact'), (day, format) => {
        const [y, m, d] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
        const typed = {
          dotted: `${pad2(d)}.${pad2(m)}.${y}`,
          'short-dotted': `${d}.${m}.${y}`,
          iso: `${y}-${pad2(m)}-${pad2(d)}`,
          compact: `${pad2(d)}${pad2(m)}${y}`,
        }[format];
        expect(parsePatientQuery(typed, TODAY)).toEqual({ kind: 'birthDate', date: `${y}-${pad2(m)}-${pad2(d)}`, centuryAssumed: false });
      }),
    );
  });

  it('puts a two-digit year in the last hundred years, never in the future', () => {
    fc.assert(
      fc.property(birthDay, (day) => {
        const [y, m, d] = [day.getUTCFullYear(), day.getUTCMonth() + 1, day.getUTCDate()];
        const parsed = parsePatientQuery(`${pad2(d)}${pad2(m)}${String(y).slice(2)}`, TODAY);
        expect(parsed).toMatchObject({ kind: 'birthDate', centuryAssumed: true });
        const date = parsed.kind === 'birthDate' ? parsed.date : '';
        expect(date.slice(2)).toBe(`${String(y).slice(2)}-${pad2(m)}-${pad2(d)}`);
        expect(date <= '2026-05-01').toBe(true);
        expect(Number(date.slice(0, 4))).toBeGreaterThan(2026 - 101);
      }),
    );
  });

  it('applies the century rule as documented', () => {
    expect(parsePatientQuery('010180', TODAY)).toEqual({ kind: 'birthDate', date: '1980-01-01', centuryAssumed: true });
    expect(parsePatientQuery('010120', TODAY)).toEqual({ kind: 'birthDate', date: '2020-01-01', centuryAssumed: true });
    expect(parsePatientQuery('311226', TODAY)).toEqual({ kind: 'birthDate', date: '1926-12-31', centuryAssumed: true });
    expect(parsePatientQuery('01.01.1980', TODAY)).toMatchObject({ date: '1980-01-01' });
    expect(parsePatientQuery('1.1.1980', TODAY)).toMatchObject({ date: '1980-01-01' });
    expect(centuryOf(26, TODAY)).toBe(2026);
    expect(centuryOf(27, TODAY)).toBe(1927);
    expect(parseBirthDate('31.02.1980', TODAY)).toBeNull();
    expect(parseBirthDate('01.01.2027', TODAY)).toBeNull();
  });

  it('keeps digits that are no full date as a prefix being typed', () => {
    expect(parsePatientQuery('1505', TODAY)).toEqual({ kind: 'numberPrefix', digits: '1505' });
    expect(parsePatientQuery('1980-05', TODAY)).toEqual({ kind: 'numberPrefix', digits: '198005' });
    expect(parsePatientQuery('158880', TODAY)).toEqual({ kind: 'numberPrefix', digits: '158880' });
    expect(parsePatientQuery('1234567890123', TODAY)).toEqual({ kind: 'empty' });
  });
});

describe('parsePatientQuery: names', () => {
  const word = fc.stringMatching(/^[a-zæøåA-ZÆØÅéü]{1,12}$/);

  it('reads the same name parts in any order, folded as the journal folds them', () => {
    fc.assert(
      fc.property(fc.uniqueArray(word, { minLength: 1, maxLength: 4, selector: (w) => normaliseForSearch(w) }), fc.infiniteStream(fc.nat()), (words, seeds) => {
        const shuffled = [...words].sort(() => (seeds.next().value % 3) - 1);
        const a = parsePatientQuery(words.join(' '), TODAY);
        const b = parsePatientQuery(shuffled.join('  '), TODAY);
        expect(a.kind).toBe('nameParts');
        if (a.kind === 'nameParts' && b.kind === 'nameParts') {
          expect([...b.parts].sort()).toEqual([...a.parts].sort());
          for (const part of a.parts) {
            expect(normaliseForSearch(part)).toBe(part);
          }
        }
      }),
    );
  });

  it('reads prefixes and a birth date beside a name', () => {
    expect(parsePatientQuery('nord kari', TODAY)).toEqual({ kind: 'nameParts', parts: ['nord', 'kari'], birthDate: null });
    expect(parsePatientQuery('Kari N', TODAY)).toEqual({ kind: 'nameParts', parts: ['kari', 'n'], birthDate: null });
    expect(parsePatientQuery('Bjørn Ås-Ødegård', TODAY)).toEqual({ kind: 'nameParts', parts: ['bjorn', 'as', 'odegard'], birthDate: null });
    expect(parsePatientQuery('kari 01.01.1980', TODAY)).toEqual({
      kind: 'nameParts',
      parts: ['kari'],
      birthDate: { kind: 'birthDate', date: '1980-01-01', centuryAssumed: false },
    });
  });

  it('never throws, and an empty or punctuation-only query is empty', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 100 }), (query) => {
        const parsed = parsePatientQuery(query, TODAY);
        expect(['empty', 'nationalId', 'invalidNationalId', 'birthDate', 'numberPrefix', 'nameParts']).toContain(parsed.kind);
      }),
    );
    expect(parsePatientQuery('   ', TODAY)).toEqual({ kind: 'empty' });
    expect(parsePatientQuery('"*()', TODAY)).toEqual({ kind: 'empty' });
  });
});
