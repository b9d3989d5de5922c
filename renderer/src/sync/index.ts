/** The sync feature's public face: what the shell and the command palette use. */
export { OfflineBanner } from './OfflineBanner';
export { SyncCenterProvider, useSyncCenter, type SyncCenterApi, type SyncCenterView } from './sync-center';
export { SyncStatusBadge } from './SyncStatusBadge';
export { useSyncStatus } from './useSyncStatus';
