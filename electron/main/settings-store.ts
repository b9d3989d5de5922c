import { join } from 'node:path';
import { app } from 'electron';
import Store from 'electron-store';
import { settingsStoreOptions, storeSettingsFile, type SettingsFileSource } from '../core';

/**
 * The user's settings file in Electron: electron-store (conf underneath, as in the dev host) at
 * `<userData>/settings.json`. Core reads it, sets a broken one aside and writes the changes.
 */
export const electronSettingsFile = (): SettingsFileSource => {
  const { configName, ...options } = settingsStoreOptions;
  return {
    path: join(app.getPath('userData'), `${configName}.json`),
    open: () => storeSettingsFile(new Store<Record<string, unknown>>({ name: configName, ...options })),
  };
};
