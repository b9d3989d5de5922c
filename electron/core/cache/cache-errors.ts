/**
 * What can go wrong opening or using the offline cache, as stable codes the renderer words for the
 * clinician. Messages never carry patient data or key material.
 */
export type CacheErrorCode =
  /** The OS key store can not protect secrets (Linux without a keyring: safeStorage's 'basic_text'). */
  | 'KEY_STORE_UNAVAILABLE'
  /** The key file was made under another key store kind (e.g. the dev host's file store). */
  | 'KEY_STORE_MISMATCH'
  /** The key store could not unwrap: another OS user, a lost machine key, or a tampered file. */
  | 'KEY_UNWRAP_FAILED'
  /** The key file is not one we wrote (bad JSON or shape). */
  | 'KEY_FILE_INVALID'
  /** A cache database exists but its key file is gone: we leave the database as it is. */
  | 'KEY_FILE_MISSING'
  /** The card in the reader is not the one this cache was bound to (another clinician, or a new card). */
  | 'WRONG_CARD'
  /** The card's authentication key gave two different signatures over the same data (not RSA PKCS#1 v1.5). */
  | 'CARD_NOT_DETERMINISTIC'
  /** The database was written by a newer version of the app; we do not touch it. */
  | 'NEWER_SCHEMA'
  /** The database is damaged and could not be set aside and re-created. */
  | 'CORRUPT_UNRECOVERABLE'
  /** A recovered-outbox file that does not decrypt under this cache's key, or is not one of ours. */
  | 'RECOVERED_FILE_INVALID'
  /** The same client id was queued twice. */
  | 'DUPLICATE_CLIENT_ID'
  /** An outbox item or conflict that is not (or no longer) there. */
  | 'NOT_FOUND';

/** What a damaged cache's recovery saved before the error (CORRUPT_UNRECOVERABLE): its outbox, exported encrypted. */
export interface SalvagedOutbox {
  exportedOutboxItems: number;
  unreadableOutboxItems: number;
  exportFile: string | null;
}

export class CacheError extends Error {
  override readonly name = 'CacheError';
  /** Set when the damaged database was set aside (and its outbox exported) before the error. */
  readonly salvaged: SalvagedOutbox | undefined;
  constructor(
    readonly code: CacheErrorCode,
    message: string,
    options?: { cause?: unknown; salvaged?: SalvagedOutbox },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.salvaged = options?.salvaged;
  }
}
