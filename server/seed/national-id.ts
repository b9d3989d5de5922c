import type { Random } from './random';

/**
 * SYNTHETIC national identity numbers (the Tenor / Test-Norge scheme): a fødselsnummer whose month
 * has 80 added. No real person has one, so demo and test data can never point at a real patient.
 *
 * Layout: DD MM+80 YY, three individual digits, then check digits k1 and k2 (mod 11; a remainder
 * giving 10 makes the number impossible, so another individual number is drawn). We produce only
 * the classic k1 (remainder 0), which both the pre- and post-2032 rules accept.
 * The individual number also tells the century: 000-499 for 1900-1999 (and 900-999 for
 * 1940-1999), 500-999 for 2000-2039, 500-749 for 1854-1899.
 * Its last digit is odd for men and even for women, as in numbers issued before 2032; nothing may
 * read gender from it (DOMAIN.md), it is only kept realistic here.
 */
const K1_WEIGHTS = [3, 7, 6, 1, 8, 9, 4, 5, 2] as const;
const K2_WEIGHTS = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2] as const;

/** mod-11 check digit over `digits`, or undefined when the remainder makes the number impossible */
export const mod11CheckDigit = (digits: ReadonlyArray<number>, weights: ReadonlyArray<number>): number | undefined => {
  let sum = 0;
  weights.forEach((weight, i) => {
    sum += weight * (digits[i] ?? 0);
  });
  const check = 11 - (sum % 11);
  if (check === 11) {
    return 0;
  }
  return check === 10 ? undefined : check;
};

const pad2 = (value: number): string => String(value).padStart(2, '0');

/** individual numbers allowed for a birth year, as [from, to] ranges */
const individualRanges = (year: number): ReadonlyArray<readonly [number, number]> => {
  if (year >= 2000) {
    return [[500, 999]];
  }
  if (year >= 1940) {
    return [
      [0, 499],
      [900, 999],
    ];
  }
  return year >= 1900 ? [[0, 499]] : [[500, 749]];
};

/** The eleven digits for a birth date and individual number, or undefined if no check digit fits. */
export const syntheticNationalIdFor = (birthDate: Date, individual: number): string | undefined => {
  const prefix = [
    pad2(birthDate.getUTCDate()),
    pad2(birthDate.getUTCMonth() + 1 + 80),
    pad2(birthDate.getUTCFullYear() % 100),
    String(individual).padStart(3, '0'),
  ].join('');
  const digits = [...prefix].map(Number);
  const k1 = mod11CheckDigit(digits, K1_WEIGHTS);
  if (k1 === undefined) {
    return undefined;
  }
  const k2 = mod11CheckDigit([...digits, k1], K2_WEIGHTS);
  return k2 === undefined ? undefined : `${prefix}${k1}${k2}`;
};

/**
 * A fresh synthetic number for someone born on `birthDate` (a UTC midnight), unique against
 * `taken` (which it extends). About 5 in 6 individual numbers give valid check
 * digits, and a date has hundreds of them, so even a large population finds a free one at once.
 */
export const drawSyntheticNationalId = (
  random: Random,
  birthDate: Date,
  gender: 'male' | 'female',
  taken: Set<string>,
): string => {
  const ranges = individualRanges(birthDate.getUTCFullYear());
  for (let attempt = 0; attempt < 2000; attempt += 1) {
    const [from, to] = random.pick(ranges);
    let individual = random.int(from, to);
    const odd = individual % 2 === 1;
    if (odd !== (gender === 'male')) {
      individual = individual === to ? individual - 1 : individual + 1;
    }
    const id = syntheticNationalIdFor(birthDate, individual);
    if (id !== undefined && !taken.has(id)) {
      taken.add(id);
      return id;
    }
  }
  throw new RangeError('no free synthetic national id left for this birth date');
};
