import { renameSync } from 'node:fs';
import {
  ContractError,
  clinicianSettingKeys,
  settingKeys,
  settingsSchema,
  settingsShape,
  type SettingKey,
  type Settings,
  type SettingsNotice,
  type SettingsSetInput,
  type SettingsView,
} from '../../../shared/contract';
import type { Logger } from '../logging/logger';
import { lockedKeys, readMachineSettings, type MachineSettings } from './machine-settings';
import type { SettingsFile, SettingsFileSource } from './settings-file';

export interface SettingsServiceOptions {
  /** The user's settings file (conf in the dev host, electron-store in Electron). */
  userFile: SettingsFileSource;
  /** The machine-wide presets and locks file (`machineSettingsPath`); absent is fine. */
  machinePath?: string;
  log: Logger;
  now?: () => Date;
}

const stamp = (date: Date): string => date.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');

/** The user's file minus what the schema does not know: unknown keys stay in the file, unread. */
const knownKeys = (raw: Record<string, unknown>): Partial<Record<SettingKey, unknown>> =>
  Object.fromEntries(settingKeys.filter((key) => Object.hasOwn(raw, key)).map((key) => [key, raw[key]]));

/**
 * The workstation's settings: schema defaults, under the machine's presets, under the user's
 * choices, with the machine's locked keys on top of everything. A user file that is not JSON or
 * breaks the schema is renamed aside with a timestamp and reported; it is never half-read and
 * never reset where it lies. Keys the schema does not know are left in the file as they are.
 */
export class SettingsService {
  private log: Logger;
  private readonly now: () => Date;
  private readonly machine: MachineSettings;
  private readonly notices: SettingsNotice[] = [];
  private readonly file: SettingsFile;
  private readonly listeners = new Set<(values: Settings) => void>();

  constructor({ userFile, machinePath, log, now = () => new Date() }: SettingsServiceOptions) {
    this.log = log;
    this.now = now;
    this.machine = machinePath ? readMachineSettings(machinePath) : { state: 'absent' };
    if (this.machine.state === 'invalid') {
      this.notices.push({ kind: 'machine-file-invalid', path: this.machine.path });
      this.log.error({ reason: 'machine-file-invalid' }, 'machine-wide settings file unreadable: every setting locked at its default');
    }
    this.file = this.openUserFile(userFile);
  }

  private openUserFile(source: SettingsFileSource): SettingsFile {
    let reason: 'corrupt' | 'invalid';
    try {
      const file = source.open();
      const parsed = settingsSchema.safeParse(knownKeys(file.read()));
      if (parsed.success) {
        return file;
      }
      reason = 'invalid';
    } catch {
      reason = 'corrupt';
    }
    const setAsidePath = source.path.replace(/\.json$/, '') + `.set-aside-${stamp(this.now())}.json`;
    renameSync(source.path, setAsidePath);
    this.notices.push({ kind: 'user-file-set-aside', reason, setAsidePath, at: this.now().toISOString() });
    this.log.warn({ reason }, 'user settings file set aside; the workstation starts from the defaults');
    return source.open();
  }

  /**
   * The settings are read before the app's logger exists (they choose its level); from then on
   * their lines go to the app's log.
   */
  useLogger(log: Logger): void {
    this.log = log;
  }

  /** The values in force now. */
  values(): Settings {
    const machine = this.machine.state === 'ok' ? (this.machine.file.settings ?? {}) : {};
    const user = this.machine.state === 'invalid' ? {} : knownKeys(this.file.read());
    const locked = new Set(this.locked());
    const merged: Record<string, unknown> = {};
    for (const key of settingKeys) {
      const value = locked.has(key) ? machine[key] : (user[key] ?? machine[key]);
      if (value !== undefined) {
        merged[key] = value;
      }
    }
    return settingsSchema.parse(merged);
  }

  locked(): SettingKey[] {
    return lockedKeys(this.machine);
  }

  view(): SettingsView {
    return { values: this.values(), locked: this.locked(), notices: [...this.notices] };
  }

  /** Whether IT's presets file is absent, read, or there and unreadable (every key locked at its default). */
  machineFile(): MachineSettings['state'] {
    return this.machine.state;
  }

  /** What a notice-worthy start looked like, for the failure screen and the log. */
  setAside(): boolean {
    return this.notices.some((notice) => notice.kind === 'user-file-set-aside');
  }

  onChange(listener: (values: Settings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The clinician's changes (settings screen). A locked key refuses the whole change. */
  set(input: SettingsSetInput): SettingsView {
    const locked = new Set(this.locked());
    const keys = Object.keys(input) as Array<keyof SettingsSetInput>;
    const refused = keys.filter((key) => locked.has(key));
    if (refused.length > 0) {
      throw new ContractError('REFUSED', `Locked by IT on this PC: ${refused.join(', ')}.`);
    }
    for (const key of keys) {
      if (!(clinicianSettingKeys as readonly string[]).includes(key)) {
        throw new ContractError('REFUSED', `${key} is not a clinician setting.`);
      }
      const value = input[key];
      if (value === null) {
        this.file.delete(key);
      } else if (value !== undefined) {
        this.file.set(key, value);
      }
    }
    this.log.info({ settings: { changed: keys.length } }, 'settings changed');
    this.publish();
    return this.view();
  }

  /** For Electron main: keys the app itself keeps (the window's bounds), not the clinician. */
  setInternal<K extends 'windowBounds'>(key: K, value: Settings[K]): void {
    settingsShape[key].parse(value);
    this.file.set(key, value);
  }

  private publish(): void {
    const values = this.values();
    for (const listener of this.listeners) {
      listener(values);
    }
  }
}
