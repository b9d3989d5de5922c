import { join } from 'node:path';
import Conf from 'conf';

/**
 * The user's settings file as core needs it. `conf` (dev host) and `electron-store` (Electron
 * main; a subclass of conf by the same author) both fit through `storeSettingsFile`.
 */
export interface SettingsFile {
  readonly path: string;
  /** Everything in the file, unknown keys included. Throws when the file is not valid JSON. */
  read(): Record<string, unknown>;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

/** What conf and electron-store have in common and core uses. */
export interface ConfLike {
  readonly path: string;
  readonly store: Record<string, unknown>;
  set(key: string, value: unknown): void;
  delete(key: string): void;
}

export const storeSettingsFile = (store: ConfLike): SettingsFile => ({
  path: store.path,
  read: () => ({ ...store.store }),
  set: (key, value) => store.set(key, value),
  delete: (key) => store.delete(key),
});

/**
 * Options both libraries take: a file named settings.json, no dot-paths (a key is a key), and
 * never `clearInvalidConfig`: a broken file is set aside by core, not emptied by the library.
 */
export const settingsStoreOptions = { configName: 'settings', accessPropertiesByDotNotation: false, clearInvalidConfig: false } as const;

/** Where a settings file is and how to open it (opening reads it, and throws on bad JSON). */
export interface SettingsFileSource {
  readonly path: string;
  open(): SettingsFile;
}

/** The dev host's settings file (`<dir>/settings.json`) through conf. */
export const confSettingsFile = (dir: string): SettingsFileSource => ({
  path: join(dir, 'settings.json'),
  open: () => storeSettingsFile(new Conf<Record<string, unknown>>({ cwd: dir, projectName: 'akson', ...settingsStoreOptions })),
});

/** Settings kept in memory only (tests, and a core started without a settings file). */
export const memorySettingsFile = (initial: Record<string, unknown> = {}): SettingsFileSource => {
  const store: Record<string, unknown> = { ...initial };
  const file: SettingsFile = {
    path: '(memory)',
    read: () => ({ ...store }),
    set: (key, value) => {
      store[key] = value;
    },
    delete: (key) => {
      delete store[key];
    },
  };
  return { path: file.path, open: () => file };
};
