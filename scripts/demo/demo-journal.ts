import { parseArgs } from 'node:util';
import { startDemoJournal } from './demo-journal-service';

/** The line `npm start` waits for; the JSON after it says where the journal is and which card to use. */
export const DEMO_READY = 'AKSON_DEMO_READY ';

/**
 * The embedded demo journal as a process, the way `npm start` runs it beside the workstation
 * (demo-journal-service.ts says what it is).
 *
 *   node dist/tools/demo-journal.mjs [--data ./.akson-demo] [--port 0] [--patients 300]
 */
const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: {
      data: { type: 'string', default: './.akson-demo' },
      port: { type: 'string', default: '0' },
      patients: { type: 'string', default: '300' },
    },
    strict: true,
  });
  const journal = await startDemoJournal({
    dir: values.data,
    port: Number(values.port),
    patients: Number(values.patients),
    logStream: process.stderr,
    logLevel: process.env.AKSON_LOG_LEVEL ?? 'warn',
  });
  process.stdout.write(`${DEMO_READY}${JSON.stringify(journal.ready)}\n`);
  const stop = (): void => {
    void journal.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
};

main().catch((error: unknown) => {
  process.stderr.write(`The demo journal could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
