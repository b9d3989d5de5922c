import type { ContractClient } from '../contract/contract-client';

const CODE_LIKE = /^[A-Za-z0-9_.:/#-]{1,100}$/;

/** An error as log.write takes it: its type and stack, never its message as a field of its own. */
export const loggableError = (error: unknown): { name: string; stack?: string } => {
  if (error instanceof Error) {
    return { name: CODE_LIKE.test(error.name) ? error.name : 'Error', ...(error.stack ? { stack: error.stack.slice(0, 8000) } : {}) };
  }
  return { name: typeof error === 'object' && error !== null ? 'NonErrorObject' : typeof error };
};

/**
 * Uncaught errors and unhandled rejections outside React's render go to core's log too (the
 * error boundary takes those inside it). Core redacts them again and rate-limits the renderer.
 */
export const reportUncaughtErrors = (client: ContractClient, target: Window = window): (() => void) => {
  const send = (message: string, error: unknown): void => {
    client.call('log.write', { level: 'error', message, error: loggableError(error) }).catch(() => undefined);
  };
  const onError = (event: ErrorEvent): void => send('uncaught error', event.error);
  const onRejection = (event: PromiseRejectionEvent): void => send('unhandled rejection', event.reason);
  target.addEventListener('error', onError);
  target.addEventListener('unhandledrejection', onRejection);
  return () => {
    target.removeEventListener('error', onError);
    target.removeEventListener('unhandledrejection', onRejection);
  };
};
