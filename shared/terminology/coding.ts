import type { Coding } from 'fhir/r4';

/** A FHIR Coding as this module creates it: system, code and display are always there. */
export interface TerminologyCoding extends Coding {
  system: string;
  code: string;
  display: string;
}

/** One entry of a code list: what @navikt/diagnosekoder ships, and what code search indexes. */
export interface CodeEntry {
  readonly code: string;
  readonly text: string;
}
