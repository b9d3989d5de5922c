import { ICD10 } from '@navikt/diagnosekoder';
import { ICD10_SYSTEM } from './code-systems';
import type { CodeEntry, TerminologyCoding } from './coding';
import { UnknownCodeError } from './unknown-code-error';

/**
 * ICD-10 (Norwegian edition, 19,634 codes via @navikt/diagnosekoder). Norwegian systems write codes
 * without the dot (J069, not J06.9), as the library does; a dot typed by a user is accepted. A few
 * Norwegian codes end in a lower-case letter (I210a: infarct type 4a), so lookups ignore case and
 * answer with the code as the library writes it (no two codes differ only in case).
 */
export const icd10Codes: ReadonlyArray<CodeEntry> = ICD10;

const canonical = (code: string): string => code.trim().toUpperCase().replace('.', '');

// Built on first use: most callers (the GP side) only ever need ICPC-2.
let byCode: Map<string, CodeEntry> | undefined;
const index = (): Map<string, CodeEntry> => {
  byCode ??= new Map(icd10Codes.map((entry) => [canonical(entry.code), entry]));
  return byCode;
};

export const isIcd10Code = (code: string): boolean => index().has(canonical(code));

/** The Norwegian text of an ICD-10 code, or undefined for an unknown code. */
export const icd10Text = (code: string): string | undefined => index().get(canonical(code))?.text;

/** @throws UnknownCodeError for a code not in ICD-10 */
export const icd10Coding = (code: string): TerminologyCoding => {
  const entry = index().get(canonical(code));
  if (!entry) {
    throw new UnknownCodeError(ICD10_SYSTEM, code);
  }
  return { system: ICD10_SYSTEM, code: entry.code, display: entry.text };
};
