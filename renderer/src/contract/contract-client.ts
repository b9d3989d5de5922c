import {
  ContractError,
  calls,
  events,
  resultEnvelopeSchema,
  type CallInput,
  type CallName,
  type CallOutput,
  type EventName,
  type EventPayload,
} from '../../../shared/contract';
import type { ContractTransport, TransportKind } from './transport';

/**
 * The renderer's typed face of the contract. It trusts no transport: every answer and event is
 * checked against the same zod schemas core used, and every failure becomes a ContractError with
 * a stable code the UI can put into words.
 */
export class ContractClient {
  constructor(private readonly transport: ContractTransport) {}

  get transportKind(): TransportKind {
    return this.transport.kind;
  }

  async call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
    let raw: unknown;
    try {
      raw = await this.transport.invoke(name, input);
    } catch (error) {
      throw new ContractError('TRANSPORT', `${name}: ${error instanceof Error ? error.message : 'transport failed'}`);
    }
    const envelope = resultEnvelopeSchema.safeParse(raw);
    if (!envelope.success) {
      throw new ContractError('INTERNAL', `${name}: malformed answer envelope`);
    }
    if (!envelope.data.ok) {
      throw new ContractError(envelope.data.error.code, envelope.data.error.message);
    }
    const output = calls[name].output.safeParse(envelope.data.value);
    if (!output.success) {
      throw new ContractError('INTERNAL', `${name}: answer outside the contract`);
    }
    return output.data as CallOutput<N>;
  }

  /** Listens for one event; payloads off the contract are dropped. Returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return this.transport.onEvent((name, payload) => {
      if (name !== event) {
        return;
      }
      const parsed = events[event].payload.safeParse(payload);
      if (parsed.success) {
        listener(parsed.data as EventPayload<E>);
      }
    });
  }

  close(): void {
    this.transport.close();
  }
}
