export { canonicalCodeSystem, ICD10_SYSTEM, ICPC2_SYSTEM, ICPC2_SYSTEM_ALIAS } from './code-systems';
export type { CodeSystemUri } from './code-systems';
export type { CodeEntry, TerminologyCoding } from './coding';
export { codingFor, isKnownCode } from './code-lookup';
export { createCodeSearch, DEFAULT_CODE_SEARCH_LIMIT } from './code-search';
export type { CodeMatch, CodeSearch, CodeSearchHit } from './code-search';
export { icd10Codes, icd10Coding, icd10Text, isIcd10Code } from './icd10';
export {
  icpc2Chapter,
  icpc2ChapterNames,
  icpc2Codes,
  icpc2Coding,
  icpc2Component,
  icpc2Text,
  isIcpc2Code,
} from './icpc2';
export type { Icpc2Chapter, Icpc2ChapterLetter, Icpc2Component } from './icpc2';
export { normaliseForSearch } from './normalise';
export { UnknownCodeError } from './unknown-code-error';
