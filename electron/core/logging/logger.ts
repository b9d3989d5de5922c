import { pino, type Logger, type DestinationStream } from 'pino';

export type { Logger } from 'pino';

/**
 * Security related: log lines must never carry patient data. Log ids and counts; these paths are
 * censored in case a caller slips (names, identifiers, free text, secrets, raw call inputs).
 */
export const redactedPaths = [
  'input',
  'payload',
  'pin',
  'token',
  'name',
  'identifier',
  'text',
  '*.input',
  '*.payload',
  '*.pin',
  '*.token',
  '*.name',
  '*.identifier',
  '*.text',
  '*.note',
  'req.headers.cookie',
  'req.headers.authorization',
];

export interface LoggerOptions {
  name: string;
  level?: string;
  /** Where lines go; stdout when absent. Tests pass a stream to read what was logged. */
  destination?: DestinationStream;
}

/** The logger's own name goes under `logger`, so that `name` stays a redacted (patient) field. */
export const createLogger = ({ name, level = 'info', destination }: LoggerOptions): Logger =>
  pino(
    { base: { pid: process.pid, logger: name }, level, redact: { paths: redactedPaths, censor: '[redacted]' } },
    destination,
  );
