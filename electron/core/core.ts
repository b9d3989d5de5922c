import { ContractError, type AppInfo, type SettingsView } from '../../shared/contract';
import { createAppInfoHandler, type BuildInfo } from './app/app-info';
import { startClockFeed } from './app/clock-feed';
import { createDispatcher, type Dispatch } from './contract/dispatcher';
import { createEventHub, type EventHub } from './contract/event-hub';
import { checkHealth } from './app/health';
import { exportLogs } from './logging/log-export';
import type { Logger } from './logging/logger';
import { RendererLog } from './logging/renderer-log';
import { IdleLock } from './session/idle-lock';
import { memorySettingsFile } from './settings/settings-file';
import { withInForce } from './settings/in-force';
import { SettingsService } from './settings/settings-service';
import { SessionService, type SessionConfig } from './session/session-service';
import type { TrustAnchors } from './signing/trust-anchors';
import { OfflineWorkspace, type OfflineSettings } from './sync/offline-workspace';

export interface CoreOptions {
  build: BuildInfo;
  mode: AppInfo['mode'];
  log: Logger;
  now?: () => Date;
  clockIntervalMs?: number;
  /** Journal and card; without them the workstation runs but nobody can log in. */
  session?: SessionConfig;
  /** Where clinicians' encrypted caches live and what wraps their keys; without it, no offline work. */
  offline?: OfflineSettings;
  fetchImpl?: typeof fetch;
  /** How often an offline login tries the journal again (default 30 s; tests use less). */
  offlineRetryMs?: number;
  /** Roots and CRLs (DER) signatures in the chart are checked against (`trustAnchorsFromEnv`); without them, unverifiable. */
  trustAnchors?: TrustAnchors;
  /** How often the worklists are fetched again while logged in (default 5 minutes). */
  worklistRefreshMs?: number;
  /** The settings in force (user file, machine presets and locks); in memory with defaults when absent. */
  settings?: SettingsService;
  /** Where the log files are and where "Export logs for support" writes its zip. */
  logs?: { dir: string; exportDir: string };
  /** Main found no journal named and the embedded demo journal would not start: the failure screen says so. */
  demoJournalFailed?: boolean;
  /**
   * Tests only: one minute of the idle-lock setting lasts this many seconds (the dev host reads
   * AKSON_IDLE_MINUTE_SECONDS for the e2e tests; Electron main never passes it).
   */
  idleMinuteSeconds?: number;
}

/** What a transport needs from core: one dispatcher for calls, one hub for events. */
export interface Core {
  dispatch: Dispatch;
  events: EventHub;
  session: SessionService;
  workspace: OfflineWorkspace;
  settings: SettingsService;
  /** The idle lock: main feeds it the OS's lock-screen and suspend events (powerMonitor). */
  idle: IdleLock;
  dispose(): Promise<void>;
}

/** The composition root of core: the same object serves Electron main and the dev host. */
export const createCore = ({ build, mode, log, now = () => new Date(), clockIntervalMs, session: sessionConfig = {}, offline, fetchImpl, offlineRetryMs, trustAnchors, worklistRefreshMs, settings = new SettingsService({ userFile: memorySettingsFile(), log }), logs, idleMinuteSeconds, demoJournalFailed = false }: CoreOptions): Core => {
  const events = createEventHub(log);
  const session = new SessionService(sessionConfig, { events, log, ...(fetchImpl ? { fetchImpl } : {}), ...(offlineRetryMs ? { offlineRetryMs } : {}) });
  const workspace = new OfflineWorkspace(session, offline, {
    events,
    log,
    ...(sessionConfig.journalUrl ? { journalUrl: sessionConfig.journalUrl } : {}),
    ...(fetchImpl ? { fetchImpl } : {}),
    ...(trustAnchors ? { trustAnchors } : {}),
    ...(worklistRefreshMs ? { worklistRefreshMs } : {}),
  });
  const idle = new IdleLock({
    minutes: () => settings.values().idleLockMinutes,
    isActive: () => session.status().state === 'active',
    lock: () => session.lock(),
    log,
    ...(idleMinuteSeconds !== undefined ? { minuteMs: idleMinuteSeconds * 1000 } : {}),
  });
  // A login starts the countdown; a lock (Ctrl+L, card out, idle, OS) stops it.
  session.onChange((status) => idle.sessionChanged(status.state === 'active'));
  // The settings as the screen shows them, with what the start-up put before them.
  const settingsView = (): SettingsView => withInForce(settings.view(), sessionConfig);
  settings.onChange(() => {
    events.emit('settings.changed', settingsView());
    idle.activity();
  });
  settings.useLogger(log);
  for (const notice of settings.view().notices) {
    log.warn({ reason: notice.kind }, 'settings: a file could not be used at start (see the failure screen)');
  }
  const rendererLog = new RendererLog({ log });
  // One export at a time and not more than one a minute: each is a zip of up to ~100 MB of logs.
  let lastExport = -Infinity;
  const appInfo = createAppInfoHandler(build, mode);
  const dispatch = createDispatcher(
    {
      'app.info': appInfo,
      'app.health': async () => ({
        problems: await checkHealth({
          notices: () => settings.view().notices,
          journalUrl: () => session.journalUrl(),
          cardModuleProblem: () => session.cardModuleProblem(),
          cacheFailure: () => workspace.cacheFailure(),
          demoJournalFailed,
          ...(fetchImpl ? { fetchImpl } : {}),
        }),
      }),
      'session.activity': () => {
        idle.activity();
        return {};
      },
      'cache.rebuild': () => workspace.rebuildCache(),
      'settings.get': () => settingsView(),
      'settings.set': (input) => withInForce(settings.set(input), sessionConfig),
      'log.write': (input) => rendererLog.write(input),
      'log.export': async ({ days = 7 }) => {
        if (!logs) {
          throw new ContractError('REFUSED', 'This workstation writes no log files (started without a logs folder).');
        }
        if (Date.now() - lastExport < 60_000) {
          throw new ContractError('REFUSED', 'The logs were exported less than a minute ago.');
        }
        lastExport = Date.now();
        const result = await exportLogs({ logDir: logs.dir, targetDir: logs.exportDir, days, about: appInfo() });
        log.info({ files: result.files, bytes: result.bytes }, 'logs exported for support');
        return result;
      },
      'session.status': () => session.status(),
      'session.login': ({ pin }) => session.login(pin),
      'session.lock': () => session.lock(),
      'chart.open': ({ patientId }) => workspace.openChart(patientId),
      'patients.search': ({ query, limit, scope }) => workspace.searchPatients(query, limit, scope),
      'worklist.get': ({ list }) => workspace.worklist(list),
      'chart.history': ({ resourceType, id }) => workspace.history(resourceType, id),
      'chart.verifySignature': ({ resourceType, id }) => workspace.verifySignature(resourceType, id),
      'access.selfAuthorise': ({ patientId, reason, text }) => workspace.selfAuthorise(patientId, reason, text),
      'access.log': ({ patientId }) => workspace.accessLog(patientId),
      'access.recordBlock': ({ patientId, document, note }) => workspace.recordBlock(patientId, document, note),
      'journal.save': ({ resource }) => workspace.save(resource),
      'journal.signNote': ({ composition, pin }) => workspace.signNote(composition, pin),
      'draft.save': ({ key, patientId, value }) => workspace.saveDraft(key, patientId, value),
      'draft.get': ({ key }) => workspace.getDraft(key),
      'draft.delete': ({ key }) => workspace.deleteDraft(key),
      'draft.list': () => workspace.listDrafts(),
      'sync.status': () => workspace.status(),
      'sync.now': () => workspace.syncNow(),
      'sync.conflicts': () => workspace.conflicts(),
      'sync.resolve': ({ conflictId, keep, merged }) => workspace.resolve(conflictId, keep, merged),
      'sync.failed': () => workspace.failed(),
      'sync.discard': ({ seq }) => workspace.discard(seq),
      'sync.retry': ({ seq }) => workspace.retry(seq),
    },
    log,
  );
  const stopClock = startClockFeed({ hub: events, log, now, ...(clockIntervalMs ? { intervalMs: clockIntervalMs } : {}) });
  return {
    dispatch,
    events,
    session,
    workspace,
    settings,
    idle,
    async dispose() {
      idle.stop();
      stopClock();
      await workspace.close();
      session.dispose();
    },
  };
};
