// The ICPC-2 module alone: the package's index also evaluates the 19,634-code ICD-10 list, which
// the chart (and the first screens) do not need.
import { ICPC2 } from '@navikt/diagnosekoder/lib/ICPC2.js';
import { ICPC2_SYSTEM } from './code-systems';
import type { CodeEntry, TerminologyCoding } from './coding';
import { UnknownCodeError } from './unknown-code-error';

/**
 * ICPC-2 (Norwegian edition, 708 codes from the Directorate of Health via @navikt/diagnosekoder).
 * A code is a chapter letter plus two digits; the Norwegian edition adds a few four-character
 * codes (A191, R991 ...), whose first two digits still give the component.
 */
export const icpc2Codes: ReadonlyArray<CodeEntry> = ICPC2;


/** Chapter names as in the Norwegian ICPC-2 edition. */
export const icpc2ChapterNames = {
  A: 'Allment og uspesifisert',
  B: 'Blod, bloddannende organer og immunsystemet',
  D: 'Fordøyelsesorganer',
  F: 'Øye',
  H: 'Øre',
  K: 'Hjerte-karsystemet',
  L: 'Muskel- og skjelettsystemet',
  N: 'Nervesystemet',
  P: 'Psykisk',
  R: 'Luftveier',
  S: 'Hud',
  T: 'Endokrine, metabolske og ernæringsmessige sykdommer',
  U: 'Urinveier',
  W: 'Svangerskap, fødsel og familieplanlegging',
  X: 'Kvinnelige kjønnsorganer (inkl. bryst)',
  Y: 'Mannlige kjønnsorganer',
  Z: 'Sosiale problemer',
} as const;

export type Icpc2ChapterLetter = keyof typeof icpc2ChapterNames;

export interface Icpc2Chapter {
  readonly letter: Icpc2ChapterLetter;
  readonly name: string;
}

/** symptom 01-29 (symptoms and complaints), process 30-69, diagnosis 70-99 (diseases). */
export type Icpc2Component = 'symptom' | 'process' | 'diagnosis';

/** Codes are matched without regard to case or surrounding space: "t90 " is T90. */
const canonical = (code: string): string => code.trim().toUpperCase();

const byCode = new Map<string, CodeEntry>(icpc2Codes.map((entry) => [canonical(entry.code), entry]));

const entryOf = (code: string): CodeEntry => {
  const entry = byCode.get(canonical(code));
  if (!entry) {
    throw new UnknownCodeError(ICPC2_SYSTEM, code);
  }
  return entry;
};

export const isIcpc2Code = (code: string): boolean => byCode.has(canonical(code));

/** The Norwegian text of an ICPC-2 code, or undefined for an unknown code. */
export const icpc2Text = (code: string): string | undefined => byCode.get(canonical(code))?.text;

/** @throws UnknownCodeError for a code not in ICPC-2 */
export const icpc2Coding = (code: string): TerminologyCoding => {
  const entry = entryOf(code);
  return { system: ICPC2_SYSTEM, code: entry.code, display: entry.text };
};

const isChapterLetter = (letter: string): letter is Icpc2ChapterLetter => Object.hasOwn(icpc2ChapterNames, letter);

/** @throws UnknownCodeError for a code not in ICPC-2 */
export const icpc2Chapter = (code: string): Icpc2Chapter => {
  const letter = entryOf(code).code.charAt(0);
  if (!isChapterLetter(letter)) {
    // Only reachable if a new library release adds a chapter; fail loudly rather than guess.
    throw new UnknownCodeError(ICPC2_SYSTEM, code);
  }
  return { letter, name: icpc2ChapterNames[letter] };
};

/** @throws UnknownCodeError for a code not in ICPC-2 */
export const icpc2Component = (code: string): Icpc2Component => {
  const number = Number(entryOf(code).code.slice(1, 3));
  if (number < 30) {
    return 'symptom';
  }
  return number < 70 ? 'process' : 'diagnosis';
};
