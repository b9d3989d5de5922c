import { idnr } from '@navikt/fnrvalidator';

/** HL7 Norway identifier systems (DOMAIN.md). */
export const FNR_SYSTEM = 'urn:oid:2.16.578.1.12.4.1.4.1';
export const DNR_SYSTEM = 'urn:oid:2.16.578.1.12.4.1.4.2';
export const FH_SYSTEM = 'urn:oid:2.16.578.1.12.4.1.4.3';
export const HPR_SYSTEM = 'urn:oid:2.16.578.1.12.4.1.4.4';

const K1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const K2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

const checkDigit = (digits: number[], weights: number[]): number | undefined => {
  const sum = weights.reduce((total, weight, index) => total + weight * (digits[index] ?? 0), 0);
  const remainder = 11 - (sum % 11);
  return remainder === 11 ? 0 : remainder === 10 ? undefined : remainder;
};

/** Felles hjelpenummer: 11 digits, first digit 8 or 9, two mod-11 check digits (no date inside). */
const isValidFhNumber = (value: string): boolean => {
  if (!/^[89]\d{10}$/.test(value)) {
    return false;
  }
  const digits = [...value].map(Number);
  const k1 = checkDigit(digits, K1);
  const k2 = checkDigit(digits, K2);
  return k1 !== undefined && k2 !== undefined && k1 === digits[9] && k2 === digits[10];
};

/** Valid, and of one of the kinds this identifier system holds (a D-number is not a fødselsnummer). */
type NumberKind = 'dnr' | 'fnr' | 'hnr' | 'tnr' | 'dnr-and-hnr' | 'dnr-and-tnr';
const hasType = (value: string, kinds: readonly NumberKind[]): boolean => {
  const result = idnr(value);
  return result.status === 'valid' && kinds.includes(result.type);
};

/** The Norwegian identifier systems the journal checks and indexes uniquely, bare OID -> system. */
const CHECKED_SYSTEMS = new Map([FNR_SYSTEM, DNR_SYSTEM, FH_SYSTEM, HPR_SYSTEM].map((system) => [system.slice('urn:oid:'.length), system]));

/**
 * The checked system a string is a different spelling of (upper case, spaces, no `urn:oid:`, a
 * trailing dot or slash), or undefined when it is not one of them or is written exactly.
 */
const misspelledSystem = (system: string): string | undefined => {
  const bare = system
    .replace(/\s+/g, '')
    .toLowerCase()
    .replace(/^urn:oid:/, '')
    .replace(/[./]+$/, '');
  const exact = CHECKED_SYSTEMS.get(bare);
  return exact !== undefined && exact !== system ? exact : undefined;
};

/**
 * Security related: why an Identifier can not be stored, naming the element, or undefined. The
 * one-record-per-person rule is a unique index on (system, value) of the national id systems, so
 * every way of writing the same number must reach that index as the same two strings, or be
 * refused: system and value are strings, a checked system is written exactly as HL7 Norway writes
 * it (a variant would dodge both the index and the check digits), identifiers carry no leading or
 * trailing whitespace, and a checked number no whitespace at all.
 */
export const identifierElementProblem = (identifier: Record<string, unknown>): { element: 'system' | 'value'; problem: string } | undefined => {
  const { system, value } = identifier;
  if (system !== undefined && typeof system !== 'string') {
    return { element: 'system', problem: 'must be a string' };
  }
  if (value !== undefined && typeof value !== 'string') {
    return { element: 'value', problem: 'must be a string (write numbers as text, e.g. "15898010020")' };
  }
  if (system !== undefined) {
    if (system.trim() !== system || system === '') {
      return { element: 'system', problem: 'must not be empty or start or end with whitespace' };
    }
    const exact = misspelledSystem(system);
    if (exact !== undefined) {
      return { element: 'system', problem: `must be written exactly ${exact}` };
    }
  }
  if (value !== undefined) {
    if (value.trim() !== value || value === '') {
      return { element: 'value', problem: 'must not be empty or start or end with whitespace' };
    }
    if (system !== undefined && CHECKED_SYSTEMS.has(system.slice('urn:oid:'.length)) && /\s/.test(value)) {
      return { element: 'value', problem: 'must be the number without spaces' };
    }
    const problem = identifierProblem(system, value);
    if (problem) {
      return { element: 'value', problem };
    }
  }
  return undefined;
};

/**
 * Why the identifier is invalid for its system, or undefined when it is valid (or its system is not
 * one we check). Real and synthetic (Tenor, month + 80) numbers are both accepted; NAV's validator
 * applies the 2032 rule for k1.
 */
export const identifierProblem = (system: unknown, value: unknown): string | undefined => {
  if (typeof system !== 'string' || typeof value !== 'string') {
    return undefined;
  }
  switch (system) {
    case FNR_SYSTEM:
      return hasType(value, ['fnr', 'tnr']) ? undefined : 'is not a valid fødselsnummer (11 digits, valid date, correct check digits)';
    case DNR_SYSTEM:
      return hasType(value, ['dnr', 'dnr-and-tnr']) ? undefined : 'is not a valid D-nummer (first digit + 4, valid date, check digits)';
    case FH_SYSTEM:
      return isValidFhNumber(value) ? undefined : 'is not a valid felles hjelpenummer (11 digits starting with 8 or 9, check digits)';
    case HPR_SYSTEM:
      return /^\d{1,9}$/.test(value) ? undefined : 'is not an HPR number (up to 9 digits)';
    default:
      return undefined;
  }
};
