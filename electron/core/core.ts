import type { AppInfo } from '../../shared/contract';
import { createAppInfoHandler, type BuildInfo } from './app/app-info';
import { startClockFeed } from './app/clock-feed';
import { createDispatcher, type Dispatch } from './contract/dispatcher';
import { createEventHub, type EventHub } from './contract/event-hub';
import type { Logger } from './logging/logger';
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
}

/** What a transport needs from core: one dispatcher for calls, one hub for events. */
export interface Core {
  dispatch: Dispatch;
  events: EventHub;
  session: SessionService;
  workspace: OfflineWorkspace;
  dispose(): Promise<void>;
}

/** The composition root of core: the same object serves Electron main and the dev host. */
export const createCore = ({ build, mode, log, now = () => new Date(), clockIntervalMs, session: sessionConfig = {}, offline, fetchImpl, offlineRetryMs, trustAnchors, worklistRefreshMs }: CoreOptions): Core => {
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
  const dispatch = createDispatcher(
    {
      'app.info': createAppInfoHandler(build, mode),
      'session.status': () => session.status(),
      'session.login': ({ pin }) => session.login(pin),
      'session.lock': () => session.lock(),
      'chart.open': ({ patientId }) => workspace.openChart(patientId),
      'patients.search': ({ query, limit, scope }) => workspace.searchPatients(query, limit, scope),
      'worklist.get': ({ list }) => workspace.worklist(list),
      'chart.history': ({ resourceType, id }) => workspace.history(resourceType, id),
      'chart.verifySignature': ({ resourceType, id }) => workspace.verifySignature(resourceType, id),
      'access.selfAuthorise': ({ patientId, reason, text }) => workspace.selfAuthorise(patientId, reason, text),
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
    async dispose() {
      stopClock();
      await workspace.close();
      session.dispose();
    },
  };
};
