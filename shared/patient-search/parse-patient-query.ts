import { idnr } from '@navikt/fnrvalidator';
import { normaliseForSearch } from '../terminology/normalise';

/**
 * What a clinician typed into the patient search box, read once here for the cache, the journal
 * and the renderer alike (no Node or DOM APIs: this runs in the browser too).
 *
 * - 11 digits (optionally "DDMMYY NNNNN", the way it is read aloud and printed) is a national id:
 *   a fødselsnummer (Tenor test numbers, month + 80, included), a D-number (day + 40), or a felles
 *   hjelpenummer (first digit 8 or 9, mod-11 check digits, no date). A number that fails its check
 *   is said to be invalid, and why, rather than searched: a mistyped id must not find somebody else.
 * - a full date (DDMMYY, DDMMYYYY, D.M.YYYY, DD.MM.YY, YYYY-MM-DD) is a birth date;
 * - other digit strings (up to 10) are a prefix of a national id or birth date as it is being typed;
 * - words are name parts, any order, each a prefix ("nord kari", "kari n"), folded as the
 *   journal folds its name index; a full date among them narrows by birth date.
 */
export const NATIONAL_ID_SYSTEMS = {
  fnr: 'urn:oid:2.16.578.1.12.4.1.4.1',
  dnr: 'urn:oid:2.16.578.1.12.4.1.4.2',
  fh: 'urn:oid:2.16.578.1.12.4.1.4.3',
} as const;
export type NationalIdKind = keyof typeof NATIONAL_ID_SYSTEMS;

export type InvalidNationalIdReason =
  /** The mod-11 check digits do not match: a typing error, most likely. */
  | 'check-digits'
  /** The first six digits are not a date (for its kind: D-number day + 40, Tenor month + 80). */
  | 'date'
  /** A valid-looking number of a kind the journal does not hold (the old H-number, month + 40). */
  | 'unsupported-kind';

export interface BirthDateQuery {
  kind: 'birthDate';
  /** YYYY-MM-DD. */
  date: string;
  /** Typed with two year digits: the century was assumed (see `centuryOf`), so a cache may also match the other one. */
  centuryAssumed: boolean;
}

export type PatientQuery =
  | { kind: 'empty' }
  | { kind: 'nationalId'; value: string; system: string; idKind: NationalIdKind }
  | { kind: 'invalidNationalId'; value: string; reason: InvalidNationalIdReason }
  | BirthDateQuery
  | { kind: 'numberPrefix'; digits: string }
  | { kind: 'nameParts'; parts: string[]; birthDate: BirthDateQuery | null };

const K1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const K2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

const mod11 = (digits: readonly number[], weights: readonly number[]): number | undefined => {
  const sum = weights.reduce((total, weight, index) => total + weight * (digits[index] ?? 0), 0);
  const remainder = 11 - (sum % 11);
  return remainder === 11 ? 0 : remainder === 10 ? undefined : remainder;
};

/** The same check as the journal's (server/fhir/identifiers.ts): two mod-11 check digits, first digit 8 or 9. */
export const isValidFhNumber = (value: string): boolean => {
  if (!/^[89]\d{10}$/.test(value)) {
    return false;
  }
  const digits = [...value].map(Number);
  const k1 = mod11(digits, K1);
  const k2 = mod11(digits, K2);
  return k1 !== undefined && k2 !== undefined && k1 === digits[9] && k2 === digits[10];
};

/** Classifies 11 digits; `idnr` (NAV) knows fødselsnummer, D-number and Tenor with the 2032 check-digit rule. */
export const classifyNationalId = (value: string): Extract<PatientQuery, { kind: 'nationalId' | 'invalidNationalId' }> => {
  if (value.startsWith('8') || value.startsWith('9')) {
    // A D-number's first digit is 4-7 (day + 40), so 8 and 9 are left to the FH numbers.
    return isValidFhNumber(value)
      ? { kind: 'nationalId', value, system: NATIONAL_ID_SYSTEMS.fh, idKind: 'fh' }
      : { kind: 'invalidNationalId', value, reason: 'check-digits' };
  }
  const result = idnr(value);
  if (result.status === 'invalid') {
    return { kind: 'invalidNationalId', value, reason: result.reasons.some((reason) => reason === "checksums don't match") ? 'check-digits' : 'date' };
  }
  switch (result.type) {
    case 'fnr':
    case 'tnr':
      return { kind: 'nationalId', value, system: NATIONAL_ID_SYSTEMS.fnr, idKind: 'fnr' };
    case 'dnr':
    case 'dnr-and-tnr':
      return { kind: 'nationalId', value, system: NATIONAL_ID_SYSTEMS.dnr, idKind: 'dnr' };
    case 'hnr':
    case 'dnr-and-hnr':
      return { kind: 'invalidNationalId', value, reason: 'unsupported-kind' };
  }
};

const pad2 = (n: number): string => String(n).padStart(2, '0');

const isRealDate = (year: number, month: number, day: number): boolean => {
  if (year < 1850 || month < 1 || month > 12 || day < 1) {
    return false;
  }
  const date = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC maps years 0-99 to 1900-1999; the guard above keeps those out.
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
};

/**
 * Two-digit years: the most recent century that does not put the birth in the future, so in 2026
 * "26" is 2026 and "27" is 1927. A patient over 100 typed with two digits is found in the cache
 * anyway (it also matches DDMMYY); the journal is asked for the assumed century only.
 */
export const centuryOf = (twoDigits: number, today: Date): number => {
  const year = today.getUTCFullYear();
  const candidate = year - (year % 100) + twoDigits;
  return candidate > year ? candidate - 100 : candidate;
};

/** A full date as typed, or null. Never a date after today (a birth date can not be). */
export const parseBirthDate = (token: string, today: Date = new Date()): BirthDateQuery | null => {
  let parts: [number, number, number, boolean] | undefined;
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(token);
  const dotted = /^(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})$/.exec(token);
  if (iso) {
    parts = [Number(iso[1]), Number(iso[2]), Number(iso[3]), false];
  } else if (dotted) {
    const yearText = dotted[3] ?? '';
    const short = yearText.length === 2;
    parts = [short ? centuryOf(Number(yearText), today) : Number(yearText), Number(dotted[2]), Number(dotted[1]), short];
  } else if (/^\d{6}$/.test(token) || /^\d{8}$/.test(token)) {
    const short = token.length === 6;
    const yearText = token.slice(4);
    parts = [short ? centuryOf(Number(yearText), today) : Number(yearText), Number(token.slice(2, 4)), Number(token.slice(0, 2)), short];
  }
  if (!parts) {
    return null;
  }
  const [typedYear, month, day, centuryAssumed] = parts;
  const todayText = today.toISOString().slice(0, 10);
  // Later this year with two year digits ("311226" on 1 May 2026) is a century ago.
  const year = centuryAssumed && `${typedYear}-${pad2(month)}-${pad2(day)}` > todayText ? typedYear - 100 : typedYear;
  if (!isRealDate(year, month, day)) {
    return null;
  }
  const date = `${year}-${pad2(month)}-${pad2(day)}`;
  return date > todayText ? null : { kind: 'birthDate', date, centuryAssumed };
};

const NUMERIC = /^[\d.\-/]+$/;
/** Longest input read: the contract allows 100 characters; nobody types more name parts than this. */
const MAX_PARTS = 8;

export const parsePatientQuery = (query: string, today: Date = new Date()): PatientQuery => {
  const trimmed = query.trim();
  // "150880 12345": six digits, one space, five digits is one national id, as printed on cards.
  const spaced = /^(\d{6})\s(\d{5})$/.exec(trimmed);
  const compact = spaced ? `${spaced[1] ?? ''}${spaced[2] ?? ''}` : trimmed;
  if (/^\d{11}$/.test(compact)) {
    return classifyNationalId(compact);
  }
  const tokens = trimmed.split(/\s+/).filter((token) => token.length > 0);
  if (tokens.length === 0) {
    return { kind: 'empty' };
  }
  if (tokens.length === 1 && NUMERIC.test(tokens[0] ?? '')) {
    const token = tokens[0] ?? '';
    const date = parseBirthDate(token, today);
    if (date) {
      return date;
    }
    const digits = token.replace(/\D/g, '');
    // A long run of digits that is not 11 can be neither an id being typed nor a date.
    return digits.length === 0 || digits.length > 10 ? { kind: 'empty' } : { kind: 'numberPrefix', digits };
  }
  let birthDate: BirthDateQuery | null = null;
  const parts: string[] = [];
  for (const token of tokens) {
    if (NUMERIC.test(token)) {
      // Beside a name only a whole date narrows; a stray partial number is ignored rather than
      // making the journal's answer and the cache's differ.
      birthDate = parseBirthDate(token, today) ?? birthDate;
      continue;
    }
    for (const part of normaliseForSearch(token).split(/[^\p{L}\p{N}]+/u)) {
      if (part.length > 0 && !parts.includes(part)) {
        parts.push(part);
      }
    }
  }
  if (parts.length === 0) {
    return birthDate ?? { kind: 'empty' };
  }
  return { kind: 'nameParts', parts: parts.slice(0, MAX_PARTS), birthDate };
};
