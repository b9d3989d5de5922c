import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { CacheError } from './cache-errors';

/**
 * The outer wrap of a cache key: something the OS ties to this user account on this machine, so a
 * copied cache folder is useless elsewhere. It does not tell clinicians apart when they share one OS
 * account (shared clinic PCs): that is the card's job (cache-key-file.ts).
 */
export interface KeyStore {
  readonly kind: 'os-keystore' | 'file';
  /** Said to the user and the log when the cache opens, so a weaker store is never silent. */
  readonly description: string;
  protect(plain: Buffer): Buffer;
  unprotect(wrapped: Buffer): Buffer;
}

/** The part of Electron's `safeStorage` we use, injected by main: core never imports electron. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only in Electron; pass it there so a plaintext fallback is refused. */
  getSelectedStorageBackend?: () => string;
}

/**
 * Security related: on Linux without a keyring safeStorage "encrypts" with a hard-coded password
 * ('basic_text'), which protects nothing; before app 'ready' the backend reads 'unknown'. Both are
 * refused rather than silently storing the key in the clear. DO NOT relax without a replacement.
 */
export const createSafeStorageKeyStore = (safeStorage: SafeStorageLike): KeyStore => {
  const backend = safeStorage.getSelectedStorageBackend?.();
  if (backend === 'basic_text' || backend === 'unknown') {
    throw new CacheError('KEY_STORE_UNAVAILABLE', `the OS key store is not usable (backend ${backend})`);
  }
  if (!safeStorage.isEncryptionAvailable()) {
    throw new CacheError('KEY_STORE_UNAVAILABLE', 'the OS key store can not encrypt on this machine');
  }
  return {
    kind: 'os-keystore',
    description: backend === undefined ? 'OS key store (Electron safeStorage)' : `OS key store (Electron safeStorage, ${backend})`,
    // safeStorage takes strings; base64 carries the bytes through unchanged.
    protect: (plain) => safeStorage.encryptString(plain.toString('base64')),
    unprotect: (wrapped) => {
      try {
        return Buffer.from(safeStorage.decryptString(wrapped), 'base64');
      } catch (error) {
        throw new CacheError('KEY_UNWRAP_FAILED', 'the OS key store could not unwrap the cache key', { cause: error });
      }
    },
  };
};

const MACHINE_KEY_FILE = 'machine-key';
const FILE_STORE_AAD = Buffer.from('akson-file-keystore-v1');
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * For the dev host and tests, where there is no safeStorage: AES-256-GCM under a random machine key
 * kept in a 0600 file under the data root. Weaker than the OS key store, and says so: anyone who
 * can read this user's files can read the machine key and unwrap (the card binding still holds).
 */
export class FileKeyStore implements KeyStore {
  readonly kind = 'file' as const;
  readonly description =
    'file key store (development only): weaker than the OS key store, anyone who can read this user\'s files can unwrap the outer layer';
  readonly keyFile: string;
  private readonly machineKey: Buffer;

  constructor(dataRoot: string) {
    mkdirSync(dataRoot, { recursive: true, mode: 0o700 });
    this.keyFile = join(dataRoot, MACHINE_KEY_FILE);
    this.machineKey = loadOrCreateMachineKey(this.keyFile);
  }

  protect(plain: Buffer): Buffer {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.machineKey, iv).setAAD(FILE_STORE_AAD);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  unprotect(wrapped: Buffer): Buffer {
    try {
      const iv = wrapped.subarray(0, IV_BYTES);
      const tag = wrapped.subarray(IV_BYTES, IV_BYTES + TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', this.machineKey, iv).setAAD(FILE_STORE_AAD);
      decipher.setAuthTag(tag);
      return Buffer.concat([decipher.update(wrapped.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    } catch (error) {
      throw new CacheError('KEY_UNWRAP_FAILED', 'the file key store could not unwrap (tampered, or another machine key)', { cause: error });
    }
  }
}

const loadOrCreateMachineKey = (file: string): Buffer => {
  if (!existsSync(file)) {
    // Written whole to a temporary file first, then linked into place: a crash can never leave a
    // half-written key (which would lock every cache wrapped with it), and link() refuses to
    // overwrite a machine key another process made meanwhile. Mode 0600 from the first byte.
    const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    const key = randomBytes(32);
    const fd = openSync(temporary, 'wx', 0o600);
    try {
      writeSync(fd, key);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    try {
      linkSync(temporary, file);
      return key;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        throw error;
      }
    } finally {
      unlinkSync(temporary);
    }
  }
  // POSIX modes mean nothing on Windows; there the folder's ACL is what protects it.
  if (process.platform !== 'win32' && (statSync(file).mode & 0o077) !== 0) {
    throw new CacheError('KEY_STORE_UNAVAILABLE', 'the machine key file is readable by other users; refusing to use it');
  }
  const key = readFileSync(file);
  if (key.length !== 32) {
    throw new CacheError('KEY_STORE_UNAVAILABLE', 'the machine key file is damaged');
  }
  return key;
};
