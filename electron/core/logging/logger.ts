import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { pino, type Logger, type DestinationStream, type LevelWithSilent } from 'pino';
import { redactFields, scrubMessage } from './redact';

export type { Logger } from 'pino';

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const satisfies readonly LevelWithSilent[];

export interface LoggerOptions {
  name: string;
  level?: string;
  /** Where lines go; stdout when absent. Tests pass a stream to read what was logged. */
  destination?: DestinationStream;
  /** The app's version, on every line (support reads which build wrote it). */
  version?: string;
  /** One id per start of the app, on every line, so a support export can be read run by run. */
  sessionId?: string;
}

/**
 * Security related: every log call passes through `redactFields` (an allow-list at every depth,
 * see redact.ts) before pino sees it, and its message is scrubbed. An Error's message never
 * becomes the line's message: its type does. Interpolation arguments (`%s`) are dropped, since
 * they are exactly where a caller would put a value.
 */
const redactingHooks = {
  logMethod(this: Logger, args: unknown[], method: (...args: unknown[]) => void): void {
    const [first, second] = args;
    let fields: Record<string, unknown> | undefined;
    let message: string | undefined;
    if (first instanceof Error) {
      fields = redactFields({ err: first });
      message = typeof second === 'string' ? second : first.name;
    } else if (first !== null && typeof first === 'object') {
      fields = redactFields(first as Record<string, unknown>);
      const err = (first as { err?: unknown }).err;
      message = typeof second === 'string' ? second : err instanceof Error ? err.name : undefined;
    } else if (typeof first === 'string') {
      message = first;
    }
    const scrubbed = message === undefined ? undefined : scrubMessage(message);
    if (fields) {
      method.apply(this, scrubbed === undefined ? [fields] : [fields, scrubbed]);
    } else {
      method.apply(this, scrubbed === undefined ? [] : [scrubbed]);
    }
  },
};

/** The logger's own name goes under `logger`, so that `name` never means anything in a line. */
export const createLogger = ({ name, level = 'info', destination, version, sessionId = randomUUID() }: LoggerOptions): Logger => {
  const logger = pino(
    {
      // The PC's name tells IT which workstation wrote an exported log.
      base: { pid: process.pid, hostname: hostname(), logger: name, ...(version ? { version } : {}), sessionId },
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      hooks: redactingHooks,
      // The fields are plain and redacted already; pino's own Error serializer would rebuild a message.
      serializers: { err: (value: unknown) => value },
    },
    destination,
  );
  // Child bindings (`log.child({...})`) go through the same allow-list. Children inherit `child`
  // from this instance (pino makes them with Object.create), so one override covers every depth.
  // Unbound on purpose: it is called with the child's own `this` below.
  // eslint-disable-next-line @typescript-eslint/unbound-method
  const child = logger.child;
  const redactingChild = function (this: Logger, bindings: Record<string, unknown>, options?: Parameters<Logger['child']>[1]) {
    return child.call(this, redactFields(bindings), options);
  } as Logger['child'];
  logger.child = redactingChild;
  return logger;
};

/** A logger for one contract call or one piece of work: every line carries its correlation id. */
export const withCorrelation = (log: Logger, correlationId: string = randomUUID()): Logger => log.child({ correlationId });
