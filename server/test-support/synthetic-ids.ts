const K1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const K2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

const checkDigit = (digits: number[], weights: number[]): number | undefined => {
  const remainder = 11 - (weights.reduce((sum, weight, i) => sum + weight * (digits[i] ?? 0), 0) % 11);
  return remainder === 11 ? 0 : remainder === 10 ? undefined : remainder;
};

let counter = 0;

/**
 * A new synthetic (Tenor: month + 80) fødselsnummer with valid check digits on every call, so
 * tests never collide on the journal's one-patient-per-national-id rule.
 */
export const nextSyntheticNationalId = (): string => {
  for (;;) {
    counter += 1;
    const day = 1 + (counter % 28);
    const month = 81 + (Math.floor(counter / 28) % 12);
    const individual = 100 + (Math.floor(counter / 336) % 400);
    const digits = [...`${String(day).padStart(2, '0')}${month}85${individual}`].map(Number);
    const k1 = checkDigit(digits, K1);
    const k2 = k1 === undefined ? undefined : checkDigit([...digits, k1], K2);
    if (k1 !== undefined && k2 !== undefined) {
      return `${digits.join('')}${k1}${k2}`;
    }
  }
};
