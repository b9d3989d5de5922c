export { SettingsService, type SettingsServiceOptions } from './settings-service';
export { confSettingsFile, memorySettingsFile, settingsStoreOptions, storeSettingsFile, type ConfLike, type SettingsFile, type SettingsFileSource } from './settings-file';
export { machineSettingsPath, readMachineSettings } from './machine-settings';
