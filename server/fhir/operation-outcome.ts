/**
 * Every error the API answers is an OperationOutcome with the right HTTP status. Inside the server
 * errors are thrown as FhirError; the HTTP layer turns them into responses.
 */
export type IssueCode =
  | 'invalid'
  | 'structure'
  | 'required'
  | 'value'
  | 'not-found'
  | 'not-supported'
  | 'conflict'
  | 'duplicate'
  | 'multiple-matches'
  | 'processing'
  | 'business-rule'
  | 'security'
  | 'forbidden'
  | 'login'
  | 'too-costly'
  | 'throttled'
  | 'exception';

export interface OperationOutcome {
  resourceType: 'OperationOutcome';
  issue: { severity: 'fatal' | 'error' | 'warning' | 'information'; code: IssueCode; diagnostics: string; expression?: string[] }[];
}

export class FhirError extends Error {
  override readonly name = 'FhirError';
  constructor(
    readonly status: number,
    readonly code: IssueCode,
    message: string,
    readonly expression?: string[],
  ) {
    super(message);
  }

  toOutcome(): OperationOutcome {
    return operationOutcome('error', this.code, this.message, this.expression);
  }
}

export const operationOutcome = (
  severity: OperationOutcome['issue'][number]['severity'],
  code: IssueCode,
  diagnostics: string,
  expression?: string[],
): OperationOutcome => ({
  resourceType: 'OperationOutcome',
  issue: [{ severity, code, diagnostics, ...(expression ? { expression } : {}) }],
});

export const badRequest = (message: string, expression?: string[]): FhirError => new FhirError(400, 'invalid', message, expression);
export const notFound = (message: string): FhirError => new FhirError(404, 'not-found', message);
export const preconditionFailed = (message: string): FhirError => new FhirError(412, 'conflict', message);
