import { z } from 'zod';
import { resultEnvelopeSchema } from './result';

/**
 * What travels on each transport. The same envelope goes over Electron IPC and over the dev host's
 * WebSocket, so core sees one shape whichever transport carried it.
 */

export const invokeRequestSchema = z
  .object({
    call: z.string().min(1).max(128),
    input: z.unknown(),
  })
  .strict();
export type InvokeRequest = z.infer<typeof invokeRequestSchema>;

export const eventMessageSchema = z.object({
  event: z.string().min(1).max(128),
  payload: z.unknown(),
});
export type EventMessage = z.infer<typeof eventMessageSchema>;

/** WebSocket frames, client -> host. */
export const wsClientMessageSchema = z
  .object({
    type: z.literal('call'),
    id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    call: z.string().min(1).max(128),
    input: z.unknown(),
  })
  .strict();
export type WsClientMessage = z.infer<typeof wsClientMessageSchema>;

/** WebSocket frames, host -> client. */
export const wsHostMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('result'), id: z.number().int().nonnegative(), result: resultEnvelopeSchema }),
  z.object({ type: z.literal('event'), event: z.string(), payload: z.unknown() }),
]);
export type WsHostMessage = z.infer<typeof wsHostMessageSchema>;

