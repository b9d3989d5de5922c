import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { machineSettingsFileSchema, settingKeys, type MachineSettingsFile, type SettingKey } from '../../../shared/contract';

/**
 * Where IT puts the machine-wide presets and locks: `%ProgramData%\Akson\settings.json` on
 * Windows (deployable by GPO or Intune), `/etc/akson/settings.json` elsewhere;
 * AKSON_MACHINE_SETTINGS overrides it (tests, and IT trying a file out).
 */
export const machineSettingsPath = (env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): string => {
  if (env.AKSON_MACHINE_SETTINGS) {
    return env.AKSON_MACHINE_SETTINGS;
  }
  if (platform === 'win32') {
    return join(env.ProgramData ?? 'C:\\ProgramData', 'Akson', 'settings.json');
  }
  return '/etc/akson/settings.json';
};

export type MachineSettings =
  | { state: 'absent' }
  | { state: 'ok'; file: MachineSettingsFile }
  /** Present but unreadable or outside the schema: fail closed (every key locked at its default). */
  | { state: 'invalid'; path: string };

export const readMachineSettings = (path: string): MachineSettings => {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? { state: 'absent' } : { state: 'invalid', path };
  }
  try {
    const parsed = machineSettingsFileSchema.safeParse(JSON.parse(text.replace(/^\uFEFF/, '')));
    return parsed.success ? { state: 'ok', file: parsed.data } : { state: 'invalid', path };
  } catch {
    return { state: 'invalid', path };
  }
};

export const lockedKeys = (machine: MachineSettings): SettingKey[] => {
  switch (machine.state) {
    case 'absent':
      return [];
    case 'ok':
      return settingKeys.filter((key) => machine.file.locked?.includes(key));
    case 'invalid':
      return [...settingKeys];
    default: {
      const never: never = machine;
      throw new Error(`unknown machine settings state ${JSON.stringify(never)}`);
    }
  }
};
