import { z } from 'zod';
import { contractErrorSchema, type ContractErrorCode, type ContractErrorValue } from './errors';

/** Every call answers with this envelope, over IPC and over the WebSocket alike. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ContractErrorValue };

/** The envelope as it arrives, before the value is checked against the call's output schema. */
export const resultEnvelopeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: contractErrorSchema }),
]);

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = (code: ContractErrorCode, message: string): Result<never> => ({
  ok: false,
  error: { code, message },
});
