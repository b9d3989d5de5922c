import { idnr } from '@navikt/fnrvalidator';

/**
 * What is wrong with a query that looks like a national id, as the clinician types it: an
 * 11-digit number (a space after the birth date allowed) that no register would hold is named
 * instead of searched, so a mistyped number never reads as "no such patient".
 */
export type QueryHint = 'wrongCheckDigits' | 'invalidNationalId';

const fhNumberValid = (value: string): boolean => {
  const digits = [...value].map(Number);
  const check = (weights: number[]) => {
    const remainder = 11 - (weights.reduce((sum, weight, i) => sum + weight * (digits[i] ?? 0), 0) % 11);
    return remainder === 11 ? 0 : remainder;
  };
  return check([3, 7, 6, 1, 8, 9, 4, 5, 2]) === digits[9] && check([5, 4, 3, 2, 7, 6, 5, 4, 3, 2]) === digits[10];
};

export const queryHint = (query: string): QueryHint | undefined => {
  const compact = query.trim().replace(/^(\d{6})\s(\d{5})$/, '$1$2');
  if (!/^\d{11}$/.test(compact)) {
    return undefined;
  }
  if (/^[89]/.test(compact)) {
    return fhNumberValid(compact) ? undefined : 'wrongCheckDigits';
  }
  const result = idnr(compact);
  if (result.status === 'valid') {
    return undefined;
  }
  return result.reasons.includes("checksums don't match") ? 'wrongCheckDigits' : 'invalidNationalId';
};
