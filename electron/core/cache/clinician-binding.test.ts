import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CacheError } from './cache-errors';
import { ase, openFor, openTestCards, tempRoot } from './cache-test-support';
import { clinicianFolder } from './clinician-folder';

describe('a cache bound to its clinician\'s card', () => {
  let cards: ReturnType<typeof openTestCards>;
  beforeAll(() => {
    cards = openTestCards();
  });
  afterAll(() => cards.close());

  it('can not be opened with another clinician\'s card on the same OS account, and opens again with its own', () => {
    const where = tempRoot();
    try {
      const first = openFor(cards.kari, where);
      first.cache.putResources([ase]);
      first.cache.close();
      const dbBefore = readFileSync(join(first.cache.folder, 'cache.db'));

      // Rita at Kari's cache: same key store, same folder, wrong card.
      expect(() => openFor({ hpr: cards.kari.hpr, card: cards.rita.card }, where)).toThrow(
        expect.objectContaining({ code: 'WRONG_CARD' }) as CacheError,
      );
      expect(readFileSync(join(first.cache.folder, 'cache.db')).equals(dbBefore)).toBe(true);

      const again = openFor(cards.kari, where);
      expect(again.created).toBe(false);
      expect(again.recovered).toBeNull();
      expect(again.cache.getResource('Patient', 'pat-ase')).toEqual(ase);
      again.cache.close();
    } finally {
      where.remove();
    }
  });

  it('refuses Rita even when Kari\'s key file and database are copied into Rita\'s own folder', () => {
    const where = tempRoot();
    try {
      openFor(cards.rita, where).cache.close();
      const kari = openFor(cards.kari, where);
      kari.cache.putResources([ase]);
      kari.cache.close();
      const ritaFolder = clinicianFolder(where.root, cards.rita.hpr);
      for (const name of ['cache-key.json', 'cache.db']) {
        copyFileSync(join(kari.cache.folder, name), join(ritaFolder, name));
      }
      expect(() => openFor(cards.rita, where)).toThrow(expect.objectContaining({ code: 'WRONG_CARD' }) as CacheError);
    } finally {
      where.remove();
    }
  });

  it('keeps each clinician\'s cache in a folder of its own, named without the HPR number', () => {
    const where = tempRoot();
    try {
      const kari = openFor(cards.kari, where);
      const rita = openFor(cards.rita, where);
      expect(kari.cache.folder).not.toBe(rita.cache.folder);
      expect(kari.cache.folder).not.toContain(cards.kari.hpr);
      kari.cache.close();
      rita.cache.close();
    } finally {
      where.remove();
    }
  });

  it('leaves a database whose key file is gone as it is, with a clear error', () => {
    const where = tempRoot();
    try {
      const { cache } = openFor(cards.kari, where);
      cache.close();
      rmSync(join(cache.folder, 'cache-key.json'));
      const dbBefore = readFileSync(join(cache.folder, 'cache.db'));
      expect(() => openFor(cards.kari, where)).toThrow(expect.objectContaining({ code: 'KEY_FILE_MISSING' }) as CacheError);
      expect(readFileSync(join(cache.folder, 'cache.db')).equals(dbBefore)).toBe(true);
    } finally {
      where.remove();
    }
  });
});
