import { z } from 'zod';

/**
 * Stable error codes that cross the contract. The renderer maps each code to a message in the
 * user's language; the English `message` beside it is for logs and support, never shown as is.
 */
export const contractErrorCodes = [
  /** The call name is not in the contract. */
  'UNKNOWN_CALL',
  /** The input (or the request envelope) did not match the call's schema. */
  'INVALID_INPUT',
  /** The call came from somewhere the app does not trust (foreign frame, wrong origin, no session). */
  'FORBIDDEN',
  /** The transport is down or the answer never arrived. Raised on the renderer side only. */
  'TRANSPORT',
  /** The call needs a logged-in clinician (card login; the offline cache opens with it). */
  'LOCKED',
  /** The request was understood but can not be done (e.g. change a resource not yet in the journal). */
  'REFUSED',
  /** A bug on the core side: the handler threw or returned something outside its schema. */
  'INTERNAL',
] as const;

export const contractErrorCodeSchema = z.enum(contractErrorCodes);
export type ContractErrorCode = z.infer<typeof contractErrorCodeSchema>;

export const contractErrorSchema = z.object({
  code: contractErrorCodeSchema,
  message: z.string().max(2000),
});
export type ContractErrorValue = z.infer<typeof contractErrorSchema>;

/** Thrown inside core or the client; crosses a boundary only as `{ code, message }`. */
export class ContractError extends Error {
  override readonly name = 'ContractError';
  constructor(
    readonly code: ContractErrorCode,
    message: string,
  ) {
    super(message);
  }

  toValue(): ContractErrorValue {
    return { code: this.code, message: this.message };
  }
}
