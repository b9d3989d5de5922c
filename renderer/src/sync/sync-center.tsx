import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import type { SyncStatusValue } from '../../../shared/contract';
import { SyncCenter, type SyncCenterView } from './SyncCenter';
import { useSyncStatus } from './useSyncStatus';

export type { SyncCenterView };

/**
 * The one place the workstation keeps the sync status and opens the lists that need the
 * clinician (conflicts, refused changes): the header badge, the offline banner and the command
 * palette all go through this.
 */
export interface SyncCenterApi {
  /** The latest sync status, or undefined before core first answers. */
  status: SyncStatusValue | undefined;
  /** The list on screen, or null when closed. */
  view: SyncCenterView | null;
  /** Opens the sync centre: on the given list, or on the one that needs the clinician (conflicts first). */
  open: (view?: SyncCenterView) => void;
  openConflicts: () => void;
  openFailed: () => void;
  close: () => void;
}

const SyncCenterContext = createContext<SyncCenterApi | null>(null);

export function SyncCenterProvider({ children }: { children: ReactNode }) {
  const status = useSyncStatus(true);
  const [view, setView] = useState<SyncCenterView | null>(null);
  const conflicts = status?.conflicts ?? 0;
  const failed = status?.failed ?? 0;
  const open = useCallback(
    (wanted?: SyncCenterView) => setView(wanted ?? (conflicts === 0 && failed > 0 ? 'failed' : 'conflicts')),
    [conflicts, failed],
  );
  const openConflicts = useCallback(() => setView('conflicts'), []);
  const openFailed = useCallback(() => setView('failed'), []);
  const close = useCallback(() => setView(null), []);
  const value = useMemo(() => ({ status, view, open, openConflicts, openFailed, close }), [status, view, open, openConflicts, openFailed, close]);
  return (
    <SyncCenterContext.Provider value={value}>
      {children}
      <SyncCenter view={view} status={status} onView={setView} onClose={close} />
    </SyncCenterContext.Provider>
  );
}

export const useSyncCenter = (): SyncCenterApi => {
  const value = useContext(SyncCenterContext);
  if (value === null) {
    throw new Error('useSyncCenter needs a <SyncCenterProvider> above it');
  }
  return value;
};
