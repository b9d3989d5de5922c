import { z } from 'zod';
import { defineEvent } from './define';
import { sessionStatusSchema } from './session';
import { settingsViewSchema } from './settings';
import { syncStatusSchema } from './sync';

export const clockTickSchema = z.object({
  /** Core's wall clock, ISO 8601 UTC. */
  now: z.iso.datetime(),
  /** Increases by one per tick since core started; a gap means the renderer missed events. */
  seq: z.number().int().nonnegative(),
});
export type ClockTick = z.infer<typeof clockTickSchema>;

/** Every event core pushes to the renderer. */
export const events = {
  'app.clock': defineEvent({
    description: "Core's clock, once a second: proves the live path core -> transport -> renderer.",
    payload: clockTickSchema,
  }),
  'session.changed': defineEvent({
    description: 'The session changed: logged in, locked (card removed), or a card came or went.',
    payload: sessionStatusSchema,
  }),
  'settings.changed': defineEvent({
    description: 'The settings in force changed (the settings screen, or core): apply the language, the idle-lock minutes.',
    payload: settingsViewSchema,
  }),
  'sync.status': defineEvent({
    description: 'The sync status changed: online/offline, pending count, conflicts, errors.',
    payload: syncStatusSchema,
  }),
  'worklist.updated': defineEvent({
    description: 'A worklist was refreshed from the journal: ask worklist.get again.',
    payload: z.object({ list: z.enum(['today', 'gp-list']) }),
  }),
  'chart.updated': defineEvent({
    description: "A background pull brought news for this patient's chart: ask chart.open again.",
    payload: z.object({ patientId: z.string() }),
  }),
};

export type Events = typeof events;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]['payload']>;

export const eventNames = Object.keys(events) as EventName[];

export const isEventName = (name: unknown): name is EventName =>
  typeof name === 'string' && Object.hasOwn(events, name);
