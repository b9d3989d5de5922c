import { Badge, Group, Text, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LockedMark } from './LockedMark';

/** One setting's label, with "Locked by IT" beside it when IT locked it on this PC. */
export function SettingRow({ label, locked, children }: { label: string; locked: boolean; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div>
      <Group gap={6} mb={4}>
        <Text size="sm" fw={500}>
          {label}
        </Text>
        {locked && (
          <Tooltip label={t('settings.lockedHint')}>
            <Badge size="xs" color="gray" variant="light" data-testid="setting-locked">
              <LockedMark />
            </Badge>
          </Tooltip>
        )}
      </Group>
      {children}
    </div>
  );
}
