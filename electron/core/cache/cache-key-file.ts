import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { sha256DigestInfo } from '../card/digest-info';
import type { SigningCard } from '../card/signing-card';
import { CacheError } from './cache-errors';
import type { KeyStore } from './key-store';

/**
 * Security related: the per-clinician binding of the cache key. DO NOT CHANGE without a migration of
 * existing key files.
 *
 * The random 256-bit database key is wrapped twice:
 *  1. AES-256-GCM under a key-encryption key derived (HKDF-SHA256) from a signature made by the
 *     clinician's card with its AUTHENTICATION key over a domain label and this cache's random salt.
 *     RSA PKCS#1 v1.5 signatures are deterministic, so the same card gives the same KEK every time,
 *     and no other card (another clinician sharing this OS account) can make it;
 *  2. then the OS key store (safeStorage/DPAPI), so the file is useless off this account and machine.
 * The GCM tag also proves the key is right before SQLite ever sees it: a wrong card is reported as
 * WRONG_CARD and never reaches the database file, and a database that then fails to read is damaged,
 * not locked with another key (cache-database.ts relies on this for recovery).
 */
const DOMAIN_LABEL = 'akson-cache-key-v1';
const FORMAT = 'akson-offline-cache-key';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export const KEY_FILE_NAME = 'cache-key.json';

interface KeyFileV1 {
  format: typeof FORMAT;
  version: 1;
  keyStore: KeyStore['kind'];
  /** 32 random bytes, base64: what the card signs (with the label). Not secret. */
  salt: string;
  /** keyStore.protect(iv | tag | AES-GCM(dbKey)), base64. */
  wrapped: string;
}

/** The card's contribution: HKDF over its deterministic signature of label + salt. */
const cardKek = (card: SigningCard, salt: Buffer): Buffer => {
  const digest = createHash('sha256').update(DOMAIN_LABEL).update('\0').update(salt).digest();
  const signature = card.signDigestInfo('authentication', sha256DigestInfo(digest));
  return Buffer.from(hkdfSync('sha256', signature, salt, `${DOMAIN_LABEL} kek`, 32));
};

const aad = (salt: Buffer): Buffer => Buffer.concat([Buffer.from(DOMAIN_LABEL), salt]);

/** Makes a new database key bound to this card and key store, and writes its key file atomically. */
export const createKeyFile = (file: string, card: SigningCard, keyStore: KeyStore): Buffer => {
  const salt = randomBytes(32);
  const kek = cardKek(card, salt);
  // A card whose key signs non-deterministically (ECDSA, PSS) would lock the cache at the next open.
  if (!timingSafeEqual(kek, cardKek(card, salt))) {
    throw new CacheError('CARD_NOT_DETERMINISTIC', 'the card\'s authentication key can not bind the cache (its signatures vary)');
  }
  const databaseKey = randomBytes(32);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', kek, iv).setAAD(aad(salt));
  const body = Buffer.concat([cipher.update(databaseKey), cipher.final()]);
  const sealed = Buffer.concat([iv, cipher.getAuthTag(), body]);
  const content: KeyFileV1 = {
    format: FORMAT,
    version: 1,
    keyStore: keyStore.kind,
    salt: salt.toString('base64'),
    wrapped: keyStore.protect(sealed).toString('base64'),
  };
  writeFileDurably(file, `${JSON.stringify(content, null, 2)}\n`);
  return databaseKey;
};

/** Unwraps the database key; throws a CacheError naming which layer refused. */
export const readKeyFile = (file: string, card: SigningCard, keyStore: KeyStore): Buffer => {
  const content = parseKeyFile(readFileSync(file, 'utf8'));
  if (content.keyStore !== keyStore.kind) {
    throw new CacheError('KEY_STORE_MISMATCH', `the cache key was stored with the ${content.keyStore} key store, not ${keyStore.kind}`);
  }
  const salt = Buffer.from(content.salt, 'base64');
  const sealed = keyStore.unprotect(Buffer.from(content.wrapped, 'base64'));
  const kek = cardKek(card, salt);
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, sealed.subarray(0, IV_BYTES)).setAAD(aad(salt));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    const key = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
    if (key.length !== 32) {
      throw new Error('unexpected key length');
    }
    return key;
  } catch (error) {
    throw new CacheError('WRONG_CARD', 'this cache belongs to another card', { cause: error });
  }
};

const parseKeyFile = (text: string): KeyFileV1 => {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new CacheError('KEY_FILE_INVALID', 'the cache key file is not JSON', { cause: error });
  }
  const v = value as Partial<KeyFileV1> | null;
  if (
    v === null ||
    typeof v !== 'object' ||
    v.format !== FORMAT ||
    v.version !== 1 ||
    (v.keyStore !== 'os-keystore' && v.keyStore !== 'file') ||
    typeof v.salt !== 'string' ||
    Buffer.from(v.salt, 'base64').length !== 32 ||
    typeof v.wrapped !== 'string'
  ) {
    throw new CacheError('KEY_FILE_INVALID', 'the cache key file is not one this version wrote');
  }
  return v as KeyFileV1;
};

/** Write, fsync, rename: a crash leaves the old file or the new one, never half of one. */
export const writeFileDurably = (file: string, data: string | Buffer): void => {
  const temporary = `${file}.${process.pid}.tmp`;
  const fd = openSync(temporary, 'w', 0o600);
  try {
    writeSync(fd, typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, file);
};
