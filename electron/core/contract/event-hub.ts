import { events, type EventName, type EventPayload } from '../../../shared/contract';
import type { Logger } from '../logging/logger';

export type EventListener = (event: EventName, payload: unknown) => void;

export interface EventHub {
  /** Checks the payload against the contract before any transport sees it. */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void;
  /** Returns the function that unsubscribes. */
  subscribe(listener: EventListener): () => void;
  readonly listenerCount: number;
}

export const createEventHub = (log: Logger): EventHub => {
  const listeners = new Set<EventListener>();
  return {
    emit(event, payload) {
      const parsed = events[event].payload.safeParse(payload);
      if (!parsed.success) {
        // A bug in core; refuse to send it rather than let the renderer see an off-contract event.
        throw new TypeError(`Event ${event} does not match its contract schema`);
      }
      for (const listener of listeners) {
        try {
          listener(event, parsed.data);
        } catch (error) {
          // One broken transport must not stop the others from hearing the event.
          log.error({ event, errorType: error instanceof Error ? error.name : typeof error }, 'event listener failed');
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    get listenerCount() {
      return listeners.size;
    },
  };
};
