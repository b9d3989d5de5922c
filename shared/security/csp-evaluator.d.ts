/** Types for the parts of @doyensec/csp-evaluator (Google's CSP Evaluator, ported) the tests use. */
declare module '@doyensec/csp-evaluator' {
  export interface Finding {
    type: number;
    description: string;
    severity: number;
    directive: string;
    value?: string;
  }
  export class CspParser {
    constructor(policy: string);
    readonly csp: unknown;
  }
  export class CspEvaluator {
    constructor(csp: unknown, version: number);
    evaluate(): Finding[];
  }
  export const Version: { CSP1: number; CSP2: number; CSP3: number };
  export const severities: Record<'HIGH' | 'SYNTAX' | 'MEDIUM' | 'HIGH_MAYBE' | 'STRICT_CSP' | 'MEDIUM_MAYBE' | 'INFO' | 'NONE', number>;
}
