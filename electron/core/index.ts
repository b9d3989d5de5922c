export { createCore, type Core, type CoreOptions } from './core';
export type { BuildInfo } from './app/app-info';
export { describeIssues, type Dispatch } from './contract/dispatcher';
export type { EventHub, EventListener } from './contract/event-hub';
export { createLogger, type Logger } from './logging/logger';
export { sessionConfigFromEnv, type CardSource, type SessionConfig } from './session/session-service';
export { trustAnchorsFromEnv, type TrustAnchors } from './signing/trust-anchors';
