import { describe, expect, it } from 'vitest';
import { healthProblemSchema, machineSettingsFileSchema, settingsSchema } from './settings';

describe('health problems', () => {
  it('says of a cache that did not open what core knows of its unsent changes: exported (where, how many) or unknown', () => {
    const exported = { kind: 'cache-unavailable', code: 'CORRUPT_UNRECOVERABLE', unsent: { state: 'exported', items: 2, unreadable: 0, file: '/d/recovered-outbox-x.bin' } };
    expect(healthProblemSchema.parse(exported)).toEqual(exported);
    const unknown = { kind: 'cache-unavailable', code: 'WRONG_CARD', unsent: { state: 'unknown' } };
    expect(healthProblemSchema.parse(unknown)).toEqual(unknown);
    // Never silent about it, and never "exported" with nothing in it or nowhere to find it.
    expect(healthProblemSchema.safeParse({ kind: 'cache-unavailable', code: 'WRONG_CARD' }).success).toBe(false);
    expect(healthProblemSchema.safeParse({ ...exported, unsent: { ...exported.unsent, items: 0 } }).success).toBe(false);
    expect(healthProblemSchema.safeParse({ ...exported, unsent: { state: 'exported', items: 2, unreadable: 0 } }).success).toBe(false);
  });
});

describe('the update install time', () => {
  it('is a local time of day, HH:MM on a 24-hour clock, optional, and IT may preset and lock it', () => {
    expect(settingsSchema.parse({}).updateInstallTime).toBeUndefined();
    for (const good of ['00:00', '03:00', '23:59']) {
      expect(settingsSchema.parse({ updateInstallTime: good }).updateInstallTime).toBe(good);
    }
    for (const bad of ['3:00', '24:00', '03:60', '03:00Z', 'natt', '']) {
      expect(settingsSchema.safeParse({ updateInstallTime: bad }).success).toBe(false);
    }
    expect(machineSettingsFileSchema.parse({ settings: { updateInstallTime: '02:30' }, locked: ['updateInstallTime'] })).toEqual({ settings: { updateInstallTime: '02:30' }, locked: ['updateInstallTime'] });
  });
});
