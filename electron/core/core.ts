import type { AppInfo } from '../../shared/contract';
import { createAppInfoHandler, type BuildInfo } from './app/app-info';
import { startClockFeed } from './app/clock-feed';
import { createDispatcher, type Dispatch } from './contract/dispatcher';
import { createEventHub, type EventHub } from './contract/event-hub';
import type { Logger } from './logging/logger';

export interface CoreOptions {
  build: BuildInfo;
  mode: AppInfo['mode'];
  log: Logger;
  now?: () => Date;
  clockIntervalMs?: number;
}

/** What a transport needs from core: one dispatcher for calls, one hub for events. */
export interface Core {
  dispatch: Dispatch;
  events: EventHub;
  dispose(): void;
}

/** The composition root of core: the same object serves Electron main and the dev host. */
export const createCore = ({ build, mode, log, now = () => new Date(), clockIntervalMs }: CoreOptions): Core => {
  const events = createEventHub(log);
  const dispatch = createDispatcher({ 'app.info': createAppInfoHandler(build, mode) }, log);
  const stopClock = startClockFeed({ hub: events, log, now, ...(clockIntervalMs ? { intervalMs: clockIntervalMs } : {}) });
  return {
    dispatch,
    events,
    dispose() {
      stopClock();
    },
  };
};
