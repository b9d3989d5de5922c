import { z } from 'zod';

/**
 * The workstation's settings, as one schema: what the user's settings file, the machine-wide
 * presets file and the settings screen all speak. Every key has a default, so a PC with no
 * settings at all runs (against no journal, until IT or the dev host sets one).
 */
const httpUrl = z.string().max(2000).regex(/^https?:\/\/[^\s/]+[^\s]*$/, 'an http(s) URL');

export const windowBoundsSchema = z.object({
  x: z.number().int(),
  y: z.number().int(),
  width: z.number().int().min(200).max(20_000),
  height: z.number().int().min(200).max(20_000),
  maximized: z.boolean().optional(),
});

export const settingsShape = {
  /** The journal API's root. */
  journalUrl: httpUrl.optional(),
  /** The card middleware (PKCS#11 module) to load, e.g. C:\Windows\System32\... .dll */
  pkcs11Module: z.string().min(1).max(1000).optional(),
  /** The preferred card (token label); without it, the first card in any reader. */
  cardLabel: z.string().min(1).max(64).optional(),
  language: z.enum(['nb', 'en']).default('nb'),
  /** Lock after this many minutes without input. */
  idleLockMinutes: z.number().int().min(1).max(240).default(10),
  /** The main window's bounds, per display (keyed by the display's id and size). */
  windowBounds: z.record(z.string().max(100), windowBoundsSchema).default({}),
  /** Where signed updates are fetched from (a generic provider); no URL, no updates. */
  updateUrl: httpUrl.optional(),
  updateChannel: z.enum(['stable', 'pilot']).default('stable'),
  /**
   * Install a downloaded update at this local time of day ("HH:MM", 24 h), when no draft is
   * unsigned (else the next day); without it, only when the app quits.
   */
  updateInstallTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a local time of day, HH:MM (24 h)').optional(),
  logLevel: z.enum(['error', 'warn', 'info', 'debug']).default('info'),
  /** Keep the window out of screen sharing and screenshots. */
  contentProtection: z.boolean().default(true),
} as const;

/** The values in force; a file may carry more (unknown keys are kept, not read). */
export const settingsSchema = z.object(settingsShape);
export type Settings = z.infer<typeof settingsSchema>;
export type SettingKey = keyof Settings;
export const settingKeys = Object.keys(settingsShape) as SettingKey[];

/** What a clinician may change through the settings screen (unless IT locked it). */
export const clinicianSettingKeys = ['language', 'idleLockMinutes', 'cardLabel'] as const satisfies readonly SettingKey[];

export const settingsNoticeSchema = z.discriminatedUnion('kind', [
  z.object({
    /** The user's settings file could not be read (corrupt, or values outside the schema): renamed, not used, not reset in place. */
    kind: z.literal('user-file-set-aside'),
    reason: z.enum(['corrupt', 'invalid']),
    setAsidePath: z.string().max(4000),
    at: z.iso.datetime(),
  }),
  z.object({
    /** The machine-wide presets file could not be read: every setting is locked at its default until IT fixes it. */
    kind: z.literal('machine-file-invalid'),
    path: z.string().max(4000),
  }),
]);
export type SettingsNotice = z.infer<typeof settingsNoticeSchema>;

export const settingsViewSchema = z.object({
  values: settingsSchema,
  /** Keys IT locked in the machine-wide file: shown, not changeable. */
  locked: z.array(z.enum(settingKeys as [SettingKey, ...SettingKey[]])),
  notices: z.array(settingsNoticeSchema),
  /**
   * What this workstation runs with now where the start-up decided it, not the settings: the
   * journal and card `npm start`, a support run or the embedded demo journal named in AKSON_*
   * variables go before the settings, so the screen shows the journal in use, not "not set".
   */
  inForce: z
    .object({
      /** The journal in use, when it is not the settings' `journalUrl`. */
      journalUrl: z.string().max(2000).optional(),
      /** That journal is the embedded demo journal (synthetic patients). */
      demoJournal: z.boolean().optional(),
      /** The card is the demo's software TEST card, not a card through `pkcs11Module`. */
      testCard: z.boolean().optional(),
      /** The card middleware in use, when it is not the settings' `pkcs11Module` (AKSON_PKCS11_MODULE). */
      pkcs11Module: z.string().max(4000).optional(),
    })
    .optional(),
});
export type SettingsView = z.infer<typeof settingsViewSchema>;

export const settingsSetInputSchema = z
  .object({
    language: settingsShape.language.unwrap().optional(),
    idleLockMinutes: settingsShape.idleLockMinutes.unwrap().optional(),
    /** null clears the preference. */
    cardLabel: z.string().min(1).max(64).nullable().optional(),
  })
  .strict();
export type SettingsSetInput = z.infer<typeof settingsSetInputSchema>;

/** Every key optional and without its default: a preset says only what IT wrote. */
const presetShape = {
  journalUrl: settingsShape.journalUrl,
  pkcs11Module: settingsShape.pkcs11Module,
  cardLabel: settingsShape.cardLabel,
  language: settingsShape.language.unwrap().optional(),
  idleLockMinutes: settingsShape.idleLockMinutes.unwrap().optional(),
  windowBounds: settingsShape.windowBounds.unwrap().optional(),
  updateUrl: settingsShape.updateUrl,
  updateChannel: settingsShape.updateChannel.unwrap().optional(),
  updateInstallTime: settingsShape.updateInstallTime,
  logLevel: settingsShape.logLevel.unwrap().optional(),
  contentProtection: settingsShape.contentProtection.unwrap().optional(),
} satisfies Record<SettingKey, z.ZodType>;

/** The machine-wide presets and locks file (ProgramData / /etc/akson), written by IT. */
export const machineSettingsFileSchema = z
  .object({
    /** Defaults for this PC: used where the user has not chosen, and as the value of a locked key. */
    settings: z.object(presetShape).strict().optional(),
    /** Keys no one on this PC can change. */
    locked: z.array(z.enum(settingKeys as [SettingKey, ...SettingKey[]])).optional(),
  })
  .strict();
export type MachineSettingsFile = z.infer<typeof machineSettingsFileSchema>;

/**
 * What became of the unsent changes in a cache that could not be opened, as core knows it. Core
 * never claims more than it did: it either read them out and saved them, or it could not look.
 */
export const unsentWorkSchema = z.discriminatedUnion('state', [
  /**
   * The cache was damaged: what could be read of its outbox was saved, encrypted, in `file` beside it,
   * and is queued again (then sent) the next time this clinician's cache opens on this PC.
   * `unreadable` rows were on damaged pages and are lost.
   */
  z.object({ state: z.literal('exported'), items: z.number().int().min(1), unreadable: z.number().int().min(0), file: z.string().max(4000) }),
  /**
   * Core could not read the cache (its key, another card, a newer version's file, or nothing
   * readable in a damaged one), so it can not tell whether it holds unsent changes; it is left on
   * this PC as it was, and a rebuild only moves it aside.
   */
  z.object({ state: z.literal('unknown') }),
]);
export type UnsentWork = z.infer<typeof unsentWorkSchema>;

/**
 * What stops or limits the workstation, for the failure screen: each with what the renderer needs
 * to say what happened, what it means for the clinician's data, and what to do.
 */
export const healthProblemSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('settings-set-aside'), setAsidePath: z.string().max(4000) }),
  z.object({ kind: z.literal('machine-settings-invalid'), path: z.string().max(4000) }),
  z.object({ kind: z.literal('journal-not-configured') }),
  /** No journal was named, and the embedded demo journal (synthetic patients) did not start. */
  z.object({ kind: z.literal('demo-journal-failed') }),
  /** The URL answers, but not as a journal (wrong address, a proxy's page...). */
  z.object({ kind: z.literal('journal-url-wrong'), journalUrl: z.string().max(2000) }),
  z.object({ kind: z.literal('card-module-failed'), modulePath: z.string().max(1000) }),
  /** The clinician's offline cache could not be opened: online only, nothing is written on this PC. */
  z.object({ kind: z.literal('cache-unavailable'), code: z.string().max(64), unsent: unsentWorkSchema }),
]);
export type HealthProblem = z.infer<typeof healthProblemSchema>;

/** Cache failures a new, empty cache fixes ("rebuild from the journal"); not a missing OS key store or an unusable card. */
export const rebuildableCacheFailures: readonly string[] = ['WRONG_CARD', 'KEY_UNWRAP_FAILED', 'KEY_FILE_INVALID', 'KEY_FILE_MISSING', 'KEY_STORE_MISMATCH', 'NEWER_SCHEMA', 'CORRUPT_UNRECOVERABLE', 'UNKNOWN'];

export const appHealthSchema = z.object({ problems: z.array(healthProblemSchema) });
export type AppHealth = z.infer<typeof appHealthSchema>;
