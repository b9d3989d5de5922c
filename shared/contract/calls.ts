import { z } from 'zod';
import { accessLogEntrySchema, accessLogInputSchema, grantSchema, recordBlockInputSchema, selfAuthoriseInputSchema } from './access';
import { defineCall } from './define';
import { patientSearchInputSchema, patientSearchOutputSchema, resourceHistorySchema, resourceRefInputSchema, signatureCheckSchema, worklistNameSchema, worklistSchema } from './journal-ui';
import { logExportInputSchema, logExportOutputSchema, logWriteInputSchema, logWriteOutputSchema } from './logs';
import { appHealthSchema, settingsSetInputSchema, settingsViewSchema } from './settings';
import { sessionLoginInputSchema, sessionLoginOutputSchema, sessionStatusSchema } from './session';
import { chartSchema, conflictSchema, fhirResourceSchema, failedChangeSchema, signNoteInputSchema, signNoteOutputSchema, draftKeySchema, draftSaveInputSchema, draftSchema, patientIdSchema, resolveInputSchema, saveInputSchema, savedChangeSchema, syncStatusSchema } from './sync';

export const appModes = ['electron', 'dev-host'] as const;

export const appInfoSchema = z.object({
  name: z.string().min(1),
  version: z.string().regex(/^\d+\.\d+\.\d+(?:[-+][\w.-]+)?$/, 'semantic version'),
  /** Which host runs core: the Electron main process, or the dev host (browser over WebSocket). */
  mode: z.enum(appModes),
  /** When this build was made, ISO 8601 UTC. */
  buildTime: z.iso.datetime(),
});
export type AppInfo = z.infer<typeof appInfoSchema>;

/** Calls with no arguments take an empty object, so that a stray argument is an error, not ignored. */
const noInput = z.object({}).strict();

/**
 * Every call the renderer can make. Keep them coarse: one call per screen need.
 * Adding a call here without an implementation in electron/core fails the type-check.
 */
export const calls = {
  'app.info': defineCall({
    description: 'Name, version, mode and build time of the running workstation.',
    input: noInput,
    output: appInfoSchema,
  }),
  'session.status': defineCall({
    description: 'The card and login state: which card, who is logged in, to which journal.',
    input: noInput,
    output: sessionStatusSchema,
  }),
  'session.login': defineCall({
    description: "Logs in with the card's PIN: the card signs the journal's challenge. The PIN is used for this one login.",
    input: sessionLoginInputSchema,
    output: sessionLoginOutputSchema,
  }),
  'session.lock': defineCall({
    description: 'Locks the session now: drops the journal token and closes the card session.',
    input: noInput,
    output: sessionStatusSchema,
  }),
  'session.activity': defineCall({
    description: "The clinician used keyboard or mouse (reported at most every ~30 s): core's idle-lock countdown starts again.",
    input: noInput,
    output: z.object({}),
  }),
  'app.health': defineCall({
    description: 'What stops or limits the workstation now (settings set aside, journal address wrong, card middleware not loading, cache not opening): the failure screen.',
    input: noInput,
    output: appHealthSchema,
  }),
  'cache.rebuild': defineCall({
    description: "Rebuild from the journal: the clinician's cache that would not open is set aside (renamed, kept) and a new one is filled from the journal.",
    input: noInput,
    output: z.object({ setAsidePath: z.string().max(4000) }),
  }),
  'settings.get': defineCall({
    description: 'The settings in force, which of them IT locked on this PC, and any notice (a settings file set aside).',
    input: noInput,
    output: settingsViewSchema,
  }),
  'settings.set': defineCall({
    description: 'Changes what a clinician may change (language, idle-lock minutes, preferred card); a key IT locked is refused.',
    input: settingsSetInputSchema,
    output: settingsViewSchema,
  }),
  'chart.open': defineCall({
    description: "A patient's chart from this PC's cache at once (fetched first if not cached); a fresh pull follows in the background.",
    input: z.object({ patientId: patientIdSchema }).strict(),
    output: chartSchema,
  }),
  'patients.search': defineCall({
    description:
      "Patients by national id / D-number / FH-number, name parts in any order as prefixes, or birth date: from this PC's cache, and with scope 'all' merged with the journal's own search.",
    input: patientSearchInputSchema,
    output: patientSearchOutputSchema,
  }),
  'worklist.get': defineCall({
    description: "One worklist (today's appointments, or the GP list) from the cache at once; the prefetch refreshes it from the journal.",
    input: z.object({ list: worklistNameSchema }).strict(),
    output: worklistSchema,
  }),
  'chart.history': defineCall({
    description: 'Every version of one resource of the chart, newest first (from the journal; offline, what this PC holds).',
    input: resourceRefInputSchema,
    output: resourceHistorySchema,
  }),
  'chart.verifySignature': defineCall({
    description: "Checks the signature (Provenance) of a note or letter against this workstation's trust anchors: who signed, when, and whether it verifies.",
    input: resourceRefInputSchema,
    output: signatureCheckSchema,
  }),
  'access.selfAuthorise': defineCall({
    description:
      "Self-authorisation (break the glass) for a patient the journal refused: a reason from the list and the clinician's own words; the journal grants access for a limited time and flags it for the privacy officer. Needs the journal (never offline).",
    input: selfAuthoriseInputSchema,
    output: grantSchema,
  }),
  'access.log': defineCall({
    description: "Who has read this patient's record (innsyn i logg): the journal's access log, newest first, with names from the directory. The journal allows it to the privacy officer (and to the patient); others get its refusal.",
    input: accessLogInputSchema,
    output: z.array(accessLogEntrySchema),
  }),
  'access.recordBlock': defineCall({
    description: "Records a block (sperring) of one document at the patient's request: a Consent in the journal, which from then on hides the document from everyone but its author. Needs the journal (never offline).",
    input: recordBlockInputSchema,
    output: z.object({ recorded: z.literal(true) }),
  }),
  'journal.save': defineCall({
    description: 'Saves a new or changed resource: durable on this PC when it answers, sent to the journal when online.',
    input: saveInputSchema,
    output: savedChangeSchema,
  }),
  'journal.signNote': defineCall({
    description: "Signs a new note on the card's non-repudiation key (PIN for this signature) and saves note and signature together, sent in one transaction.",
    input: signNoteInputSchema,
    output: signNoteOutputSchema,
  }),
  'draft.save': defineCall({
    description: 'Autosaves a draft (e.g. a note being written) in the encrypted cache; survives a crash or restart.',
    input: draftSaveInputSchema,
    output: z.object({ updatedAt: z.string() }),
  }),
  'draft.get': defineCall({
    description: 'The draft under this key, or null.',
    input: z.object({ key: draftKeySchema }).strict(),
    output: draftSchema.nullable(),
  }),
  'draft.list': defineCall({
    description: 'Every draft kept on this PC (newest first), with its patient when cached: the unsigned notes of the worklist.',
    input: noInput,
    output: z.array(draftSchema.omit({ value: true }).extend({ patient: fhirResourceSchema.nullable() })),
  }),
  'draft.delete': defineCall({
    description: 'Throws a draft away (after the note was saved, or on "discard").',
    input: z.object({ key: draftKeySchema }).strict(),
    output: z.object({ deleted: z.literal(true) }),
  }),
  'sync.status': defineCall({
    description: 'Online or not, changes waiting, the oldest one, last successful sync, conflicts and refusals.',
    input: noInput,
    output: syncStatusSchema,
  }),
  'sync.now': defineCall({
    description: 'Sends what is waiting now, without waiting for the next retry; answers when the outbox has done what it can.',
    input: noInput,
    output: syncStatusSchema,
  }),
  'sync.conflicts': defineCall({
    description: 'Changes someone else beat: both versions, for the user to decide.',
    input: noInput,
    output: z.array(conflictSchema),
  }),
  'sync.resolve': defineCall({
    description: "The user's decision on a conflict: keep mine on top of theirs, take theirs, or a merge.",
    input: resolveInputSchema,
    output: syncStatusSchema,
  }),
  'sync.failed': defineCall({
    description: 'Changes the journal refused, with its reason: to send again or throw away.',
    input: noInput,
    output: z.array(failedChangeSchema),
  }),
  'sync.discard': defineCall({
    description: "Throws a refused change away; the journal's version comes back with the next pull.",
    input: z.object({ seq: z.number().int().positive() }).strict(),
    output: syncStatusSchema,
  }),
  'log.write': defineCall({
    description: "A line from the renderer into the workstation's log (an event name, code-like context, an error's type and stack): validated, redacted, rate-limited.",
    input: logWriteInputSchema,
    output: logWriteOutputSchema,
  }),
  'log.export': defineCall({
    description: 'Export logs for support: the last days of the (already redacted) log files as one zip in the export folder; answers where it is.',
    input: logExportInputSchema,
    output: logExportOutputSchema,
  }),
  'sync.retry': defineCall({
    description: 'Sends a change the journal refused once more (after the cause was fixed).',
    input: z.object({ seq: z.number().int().positive() }).strict(),
    output: syncStatusSchema,
  }),
};

export type Calls = typeof calls;
export type CallName = keyof Calls;
export type CallInput<N extends CallName> = z.input<Calls[N]['input']>;
export type CallOutput<N extends CallName> = z.output<Calls[N]['output']>;

export const callNames = Object.keys(calls) as CallName[];

/** Own-property check, so that `toString` or `__proto__` never pass as call names. */
export const isCallName = (name: unknown): name is CallName =>
  typeof name === 'string' && Object.hasOwn(calls, name);
