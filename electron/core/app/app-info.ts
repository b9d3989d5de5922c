import type { AppInfo } from '../../../shared/contract';

export interface BuildInfo {
  name: string;
  version: string;
  /** ISO 8601; stamped by scripts/build.mjs into the bundle. */
  buildTime: string;
}

/** `app.info`: what is running, so a support call can start from facts. */
export const createAppInfoHandler =
  (build: BuildInfo, mode: AppInfo['mode']) =>
  (): AppInfo => ({ name: build.name, version: build.version, buildTime: build.buildTime, mode });
