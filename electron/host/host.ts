import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { homedir } from 'node:os';
import { SettingsService, confSettingsFile, createAppLogger, createCore, createLogger, machineSettingsPath, sessionConfigFrom, trustAnchorsFromEnv } from '../core';
import { FileKeyStore } from '../core/cache';
import { startDevHost } from './dev-host';

/**
 * Entry of the dev host (dist/host/host.mjs): `node dist/host/host.mjs [--port N] [--renderer DIR]`.
 * Started by `npm start` when no Electron binary is present, and by the e2e tests.
 */
const main = async (): Promise<void> => {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: process.env.AKSON_HOST_PORT ?? '0' },
      renderer: { type: 'string' },
    },
    strict: true,
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`--port must be a whole number 0-65535 (0 picks a free port), got "${values.port}"`);
  }
  const here = dirname(fileURLToPath(import.meta.url));
  const rendererDir = resolve(values.renderer ?? resolve(here, '../renderer'));
  // The dev host has no OS key store to ask: cache keys are wrapped by the clinician's card and a
  // key file in the data folder, which anyone who can read the user's files can use (FileKeyStore says so).
  const dataDir = resolve(process.env.AKSON_DATA_DIR ?? join(homedir(), '.akson-dev-host'));
  // Settings first (they choose the log level); what they say about a set-aside file is logged
  // through a logger that only goes to stderr, and is kept for the failure screen.
  const settings = new SettingsService({
    userFile: confSettingsFile(dataDir),
    machinePath: machineSettingsPath(process.env),
    log: createLogger({ name: 'dev-host', level: 'info', destination: process.stderr, version: __AKSON_BUILD__.version }),
  });
  // Logs go to the rotating files in the data folder and to stderr, so stdout carries only what a
  // person (or the e2e fixture) needs: the link.
  const { log, close: closeLog } = await createAppLogger({
    name: 'dev-host',
    version: __AKSON_BUILD__.version,
    level: process.env.AKSON_LOG_LEVEL ?? settings.values().logLevel,
    logDir: join(dataDir, 'logs'),
    alsoTo: process.stderr,
  });
  // Tests only: the e2e tests make the idle lock's minutes seconds; Electron main has no such seam.
  const minuteSeconds = process.env.AKSON_IDLE_MINUTE_SECONDS;
  const idleMinuteSeconds = minuteSeconds === undefined || minuteSeconds === '' ? undefined : Number(minuteSeconds);
  if (idleMinuteSeconds !== undefined && (!Number.isInteger(idleMinuteSeconds) || idleMinuteSeconds < 1 || idleMinuteSeconds > 60)) {
    throw new Error(`AKSON_IDLE_MINUTE_SECONDS must be a whole number 1-60, got "${minuteSeconds}"`);
  }
  const core = createCore({
    build: __AKSON_BUILD__,
    mode: 'dev-host',
    log,
    session: sessionConfigFrom(process.env, settings.values()),
    // Whose signatures the chart shows as verified: AKSON_TRUST_ANCHORS / AKSON_TRUST_CRLS (PEM files).
    trustAnchors: trustAnchorsFromEnv(process.env),
    offline: { dataDir, keyStore: new FileKeyStore(dataDir) },
    settings,
    // "Export logs for support" writes its zip into the data folder and answers the path.
    logs: { dir: join(dataDir, 'logs'), exportDir: join(dataDir, 'exports') },
    ...(idleMinuteSeconds !== undefined ? { idleMinuteSeconds } : {}),
  });
  const host = await startDevHost({ core, rendererDir, log, port });

  process.stdout.write(
    [
      `Akson ${__AKSON_BUILD__.version} (dev host) is running on ${host.origin}`,
      'Åpne denne lenken i Chromium eller Chrome. Den virker én gang / Open this link once in Chromium or Chrome:',
      '',
      `  ${host.launchUrl}`,
      '',
      'Stopp med Ctrl+C / Stop with Ctrl+C.',
      '',
    ].join('\n'),
  );

  const shutdown = (): void => {
    void core.dispose();
    void host
      .close()
      .then(closeLog)
      .then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
};

main().catch((error: unknown) => {
  process.stderr.write(`Akson dev host could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
