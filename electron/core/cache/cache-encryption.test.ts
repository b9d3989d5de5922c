import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normaliseForSearch } from '../../../shared/terminology/normalise';
import { ase, note, openFor, openTestCards, tempRoot } from './cache-test-support';
import { CacheStore } from './cache-store';
import { migrate } from './migrations';

const NAME = 'Åse Ødegård Testesen';
const NATIONAL_ID = '15528012345';
const NOTE_TEXT = 'Pasienten klager over hodepine etter fall fra hesten på Røros';

/** Every way these could sit in a file: UTF-8, UTF-16LE, JSON \u escapes, and the folded search tokens. */
const needles = (() => {
  const secrets = [NAME, NATIONAL_ID, NOTE_TEXT, '19800515', ...NAME.split(' '), 'hodepine etter fall'];
  const escaped = (s: string) => s.replace(/[^\u0020-\u007e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const forms = secrets.flatMap((s) => [Buffer.from(s, 'utf8'), Buffer.from(s, 'utf16le'), Buffer.from(escaped(s), 'utf8')]);
  // Folded tokens long enough that random ciphertext will not hold them by chance.
  const folded = normaliseForSearch(`${NAME} ${NOTE_TEXT}`)
    .split(' ')
    .filter((token) => token.length >= 6);
  return [...forms, ...folded.map((token) => Buffer.from(token, 'utf8'))];
})();

const leaks = (bytes: Buffer): string[] => needles.filter((needle) => bytes.includes(needle)).map((needle) => needle.toString('utf8'));

const fillWithPatientData = (store: CacheStore) => {
  store.putResources([ase]);
  store.writeLocalChange({
    resource: note('note-1', NOTE_TEXT),
    request: { method: 'POST', url: 'Composition', body: note('note-1', NOTE_TEXT) },
    clientId: 'client-1',
  });
  store.saveDraft({ key: 'draft:pat-ase:note', patientId: 'pat-ase', value: { patientName: NAME, text: NOTE_TEXT } });
};

describe('the offline cache at rest', () => {
  let cards: ReturnType<typeof openTestCards>;
  beforeAll(() => {
    cards = openTestCards();
  });
  afterAll(() => cards.close());

  it('holds no name, national id or note text in the database, its WAL or the key file, open or closed', () => {
    const { kari } = cards;
    const where = tempRoot();
    try {
      const { cache } = openFor(kari, where);
      fillWithPatientData(cache);
      expect(cache.searchPatients('åse')).toHaveLength(1);
      const files = (name: string) => join(cache.folder, name);

      // Open, nothing checkpointed: the rows are in the WAL only.
      const wal = readFileSync(files('cache.db-wal'));
      expect(wal.length).toBeGreaterThan(0);
      expect(leaks(wal)).toEqual([]);
      expect(leaks(readFileSync(files('cache.db')))).toEqual([]);
      expect(leaks(readFileSync(files('cache-key.json')))).toEqual([]);

      // Open, checkpointed into the database file.
      cache.checkpoint();
      expect(leaks(readFileSync(files('cache.db')))).toEqual([]);

      cache.close();
      const folderFiles = readdirSync(cache.folder).map(files).filter((file) => statSync(file).isFile());
      expect(folderFiles.map((file) => file.slice(cache.folder.length + 1)).sort()).toEqual(['cache-key.json', 'cache.db']);
      for (const file of [...folderFiles, where.keyStore.keyFile]) {
        expect(leaks(readFileSync(file)), file).toEqual([]);
      }
      // No identifier in any path either.
      expect(cache.folder).not.toContain(kari.hpr);
    } finally {
      where.remove();
    }
  });

  it('(control) the same writes to an unencrypted database are found by the same byte search', () => {
    const where = tempRoot();
    try {
      const file = join(where.root, 'plain.db');
      const db = new Database(file);
      db.pragma('journal_mode = WAL');
      migrate(db);
      fillWithPatientData(new CacheStore(db));
      const walLeaks = leaks(readFileSync(`${file}-wal`));
      expect(walLeaks).toEqual(expect.arrayContaining([NAME, NATIONAL_ID, NOTE_TEXT, 'testesen', 'odegard']));
      db.close();
      expect(existsSync(`${file}-wal`)).toBe(false);
      expect(leaks(readFileSync(file))).toEqual(expect.arrayContaining([NAME, NATIONAL_ID, NOTE_TEXT, 'testesen', 'odegard']));
    } finally {
      where.remove();
    }
  });
});
