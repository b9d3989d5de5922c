import { chmodSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { CacheError } from './cache-errors';
import { tempRoot } from './cache-test-support';
import { createSafeStorageKeyStore, FileKeyStore, type SafeStorageLike } from './key-store';

/** Electron's safeStorage is outside this repo and not installable here: a stand-in with its shape. */
const fakeSafeStorage = (overrides: Partial<SafeStorageLike> = {}): SafeStorageLike => ({
  isEncryptionAvailable: () => true,
  encryptString: (s) => Buffer.from(`sealed:${Buffer.from(s).toString('hex')}`),
  decryptString: (b) => {
    const text = b.toString();
    if (!text.startsWith('sealed:')) {
      throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    }
    return Buffer.from(text.slice('sealed:'.length), 'hex').toString();
  },
  ...overrides,
});

describe('the file key store (dev host and tests)', () => {
  it.runIf(process.platform !== 'win32')('keeps its machine key in a file only its owner can read', () => {
    const where = tempRoot();
    try {
      expect(statSync(where.keyStore.keyFile).mode & 0o777).toBe(0o600);
      expect(readFileSync(where.keyStore.keyFile)).toHaveLength(32);
    } finally {
      where.remove();
    }
  });

  it('unwraps what it wrapped, also after a restart, and says it is the weaker store', () => {
    const where = tempRoot();
    try {
      const secret = Buffer.from('00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff', 'hex');
      const wrapped = where.keyStore.protect(secret);
      expect(wrapped.includes(secret)).toBe(false);
      expect(new FileKeyStore(where.root).unprotect(wrapped)).toEqual(secret);
      expect(where.keyStore.kind).toBe('file');
      expect(where.keyStore.description).toMatch(/weaker/);
    } finally {
      where.remove();
    }
  });

  it('detects a tampered wrapped key and a replaced machine key', () => {
    const where = tempRoot();
    try {
      const wrapped = where.keyStore.protect(Buffer.alloc(32, 7));
      const flipped = Buffer.from(wrapped);
      flipped[flipped.length - 1] = (flipped.at(-1) ?? 0) ^ 0x01;
      expect(() => where.keyStore.unprotect(flipped)).toThrow(expect.objectContaining({ code: 'KEY_UNWRAP_FAILED' }) as CacheError);

      writeFileSync(where.keyStore.keyFile, Buffer.alloc(32, 1), { mode: 0o600 });
      expect(() => new FileKeyStore(where.root).unprotect(wrapped)).toThrow(expect.objectContaining({ code: 'KEY_UNWRAP_FAILED' }) as CacheError);
    } finally {
      where.remove();
    }
  });

  it.runIf(process.platform !== 'win32')('refuses a machine key file that others can read', () => {
    const where = tempRoot();
    try {
      chmodSync(where.keyStore.keyFile, 0o644);
      expect(() => new FileKeyStore(where.root)).toThrow(expect.objectContaining({ code: 'KEY_STORE_UNAVAILABLE' }) as CacheError);
    } finally {
      where.remove();
    }
  });
});

describe('the OS key store through an injected safeStorage', () => {
  it('round-trips bytes through encryptString/decryptString', () => {
    const store = createSafeStorageKeyStore(fakeSafeStorage({ getSelectedStorageBackend: () => 'gnome_libsecret' }));
    const secret = Buffer.from([0, 1, 2, 250, 255]);
    expect(store.unprotect(store.protect(secret))).toEqual(secret);
    expect(store.kind).toBe('os-keystore');
    expect(() => store.unprotect(Buffer.from('garbage'))).toThrow(expect.objectContaining({ code: 'KEY_UNWRAP_FAILED' }) as CacheError);
  });

  it('refuses Linux\'s plaintext basic_text backend and a store that can not encrypt', () => {
    expect(() => createSafeStorageKeyStore(fakeSafeStorage({ getSelectedStorageBackend: () => 'basic_text' }))).toThrow(
      expect.objectContaining({ code: 'KEY_STORE_UNAVAILABLE' }) as CacheError,
    );
    expect(() => createSafeStorageKeyStore(fakeSafeStorage({ isEncryptionAvailable: () => false }))).toThrow(
      expect.objectContaining({ code: 'KEY_STORE_UNAVAILABLE' }) as CacheError,
    );
  });
});
