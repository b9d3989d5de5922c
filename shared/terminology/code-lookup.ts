import { canonicalCodeSystem, ICD10_SYSTEM, ICPC2_SYSTEM } from './code-systems';
import type { TerminologyCoding } from './coding';
import { icd10Coding, isIcd10Code } from './icd10';
import { icpc2Coding, isIcpc2Code } from './icpc2';
import { UnknownCodeError } from './unknown-code-error';

/**
 * Lookups by (system, code) for codings that arrive from elsewhere: from the store, a message, or
 * another system that writes ICPC-2 with the international URI.
 */

/** Whether `code` is a known code of `system` (ICPC-2 under either URI, or ICD-10). */
export const isKnownCode = (system: string, code: string): boolean => {
  switch (canonicalCodeSystem(system)) {
    case ICPC2_SYSTEM:
      return isIcpc2Code(code);
    case ICD10_SYSTEM:
      return isIcd10Code(code);
    case undefined:
      return false;
  }
};

/**
 * The canonical Coding (canonical system URI, library code, Norwegian display) for a code given
 * under any URI we accept.
 * @throws UnknownCodeError for an unknown system or a code not in it
 */
export const codingFor = (system: string, code: string): TerminologyCoding => {
  switch (canonicalCodeSystem(system)) {
    case ICPC2_SYSTEM:
      return icpc2Coding(code);
    case ICD10_SYSTEM:
      return icd10Coding(code);
    case undefined:
      throw new UnknownCodeError(system, code);
  }
};
