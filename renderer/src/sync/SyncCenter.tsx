import { Drawer, Tabs } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncStatusValue } from '../../../shared/contract';
import { ConflictList } from './ConflictList';
import { FailedChangesList } from './FailedChangesList';

/** Which list the sync centre shows. */
export type SyncCenterView = 'conflicts' | 'failed';

/** The drawer with the two lists that need the clinician: conflicts and refused changes. */
export function SyncCenter({
  view,
  status,
  onView,
  onClose,
}: {
  view: SyncCenterView | null;
  status: SyncStatusValue | undefined;
  onView: (view: SyncCenterView) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  // Mantine closes every open modal on Escape; while a dialog is open above the drawer, Escape is
  // that dialog's alone (the clinician backs out one step, not out of the whole sync centre).
  const [dialogAbove, setDialogAbove] = useState(false);
  return (
    <Drawer
      closeOnEscape={!dialogAbove}
      opened={view !== null}
      onClose={onClose}
      position="right"
      size={760}
      title={t('syncCenter.title')}
      closeButtonProps={{ 'aria-label': t('chart.close') }}
    >
      <Tabs value={view ?? 'conflicts'} onChange={(value) => value && onView(value as SyncCenterView)} keepMounted={false}>
        <Tabs.List mb="sm">
          <Tabs.Tab value="conflicts">{t('syncCenter.tabConflicts', { count: status?.conflicts ?? 0 })}</Tabs.Tab>
          <Tabs.Tab value="failed">{t('syncCenter.tabFailed', { count: status?.failed ?? 0 })}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="conflicts">
          <ConflictList onDialog={setDialogAbove} />
        </Tabs.Panel>
        <Tabs.Panel value="failed">
          <FailedChangesList onDialog={setDialogAbove} />
        </Tabs.Panel>
      </Tabs>
    </Drawer>
  );
}
