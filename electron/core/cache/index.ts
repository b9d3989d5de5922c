export { CacheError, type CacheErrorCode, type SalvagedOutbox } from './cache-errors';
export { createSafeStorageKeyStore, FileKeyStore, type KeyStore, type SafeStorageLike } from './key-store';
export { openCache, OfflineCache, type OpenCacheOptions, type OpenCacheResult, type RecoveryReport } from './cache-database';
export type {
  CacheStore,
  ConflictRecord,
  ConflictResolution,
  Draft,
  LocalChange,
  OutboxItem,
  OutboxKind,
  OutboxState,
  OutboxStats,
  PutResult,
} from './cache-store';
export { patientIdOf, type FhirResource } from './cached-resource';
export { readRecoveredOutbox } from './recovered-outbox';
