import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../logging/logger';

/** A real pino logger writing into memory, so tests can read exactly what would reach a log file. */
export const memoryLog = (): { log: Logger; lines: () => string[] } => {
  const chunks: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk.toString('utf8'));
      callback();
    },
  });
  const log = createLogger({ name: 'test', level: 'debug', destination, version: '0.0.0-test' });
  return { log, lines: () => chunks.join('').split('\n').filter((line) => line.length > 0) };
};
