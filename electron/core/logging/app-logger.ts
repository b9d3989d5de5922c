import { pino, type DestinationStream } from 'pino';
import { openLogFile } from './log-file';
import { createLogger, type Logger } from './logger';

export interface AppLoggerOptions {
  name: string;
  version: string;
  level: string;
  /** The rotating log files' folder (under the user data folder). */
  logDir: string;
  /** Also write every line here (the dev host's stderr); the file is always written. */
  alsoTo?: DestinationStream;
}

/** The workstation's logger: redacted lines into the rotating file (and a console in development). */
export const createAppLogger = async ({ name, version, level, logDir, alsoTo }: AppLoggerOptions): Promise<{ log: Logger; close: () => Promise<void> }> => {
  const file = await openLogFile({ dir: logDir });
  const destination = alsoTo
    ? pino.multistream([
        { stream: file, level: 'trace' },
        { stream: alsoTo, level: 'trace' },
      ])
    : file;
  const log = createLogger({ name, level, version, destination });
  return {
    log,
    /** Writes out what is buffered and closes the file. */
    close: () =>
      new Promise<void>((resolve) => {
        file.once('close', () => resolve());
        file.end();
      }),
  };
};
