import type { AppInfo } from '../../shared/contract';
import { createAppInfoHandler, type BuildInfo } from './app/app-info';
import { startClockFeed } from './app/clock-feed';
import { createDispatcher, type Dispatch } from './contract/dispatcher';
import { createEventHub, type EventHub } from './contract/event-hub';
import type { Logger } from './logging/logger';
import { SessionService, type SessionConfig } from './session/session-service';

export interface CoreOptions {
  build: BuildInfo;
  mode: AppInfo['mode'];
  log: Logger;
  now?: () => Date;
  clockIntervalMs?: number;
  /** Journal and card; without them the workstation runs but nobody can log in. */
  session?: SessionConfig;
  fetchImpl?: typeof fetch;
}

/** What a transport needs from core: one dispatcher for calls, one hub for events. */
export interface Core {
  dispatch: Dispatch;
  events: EventHub;
  session: SessionService;
  dispose(): void;
}

/** The composition root of core: the same object serves Electron main and the dev host. */
export const createCore = ({ build, mode, log, now = () => new Date(), clockIntervalMs, session: sessionConfig = {}, fetchImpl }: CoreOptions): Core => {
  const events = createEventHub(log);
  const session = new SessionService(sessionConfig, { events, log, ...(fetchImpl ? { fetchImpl } : {}) });
  const dispatch = createDispatcher(
    {
      'app.info': createAppInfoHandler(build, mode),
      'session.status': () => session.status(),
      'session.login': ({ pin }) => session.login(pin),
      'session.lock': () => session.lock(),
    },
    log,
  );
  const stopClock = startClockFeed({ hub: events, log, now, ...(clockIntervalMs ? { intervalMs: clockIntervalMs } : {}) });
  return {
    dispatch,
    events,
    session,
    dispose() {
      stopClock();
      session.dispose();
    },
  };
};
