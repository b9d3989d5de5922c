import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { homedir } from 'node:os';
import { createCore, createLogger, sessionConfigFromEnv, trustAnchorsFromEnv } from '../core';
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
  // Logs go to stderr so stdout carries only what a person (or the e2e fixture) needs: the link.
  const log = createLogger({ name: 'dev-host', level: process.env.AKSON_LOG_LEVEL ?? 'info', destination: process.stderr });
  // The dev host has no OS key store to ask: cache keys are wrapped by the clinician's card and a
  // key file in the data folder, which anyone who can read the user's files can use (FileKeyStore says so).
  const dataDir = resolve(process.env.AKSON_DATA_DIR ?? join(homedir(), '.akson-dev-host'));
  const core = createCore({
    build: __AKSON_BUILD__,
    mode: 'dev-host',
    log,
    session: sessionConfigFromEnv(process.env),
    // Whose signatures the chart shows as verified: AKSON_TRUST_ANCHORS / AKSON_TRUST_CRLS (PEM files).
    trustAnchors: trustAnchorsFromEnv(process.env),
    offline: { dataDir, keyStore: new FileKeyStore(dataDir) },
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
    void host.close().then(() => process.exit(0));
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
};

main().catch((error: unknown) => {
  process.stderr.write(`Akson dev host could not start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
