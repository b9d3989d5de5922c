import { Group } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * "Locked by IT" with a padlock drawn here, not an emoji: a PC without an emoji font (Debian's
 * Chromium, some locked-down Windows images) would show an empty box.
 */
export function LockedMark() {
  const { t } = useTranslation();
  return (
    <Group component="span" gap={4} wrap="nowrap" display="inline-flex" style={{ verticalAlign: 'middle' }}>
      <svg width="10" height="12" viewBox="0 0 10 12" aria-hidden="true" focusable="false">
        <path d="M2.5 5V3.5a2.5 2.5 0 0 1 5 0V5" fill="none" stroke="currentColor" strokeWidth="1.4" />
        <rect x="0.5" y="5" width="9" height="6.5" rx="1.2" fill="currentColor" />
      </svg>
      <span>{t('settings.lockedBy')}</span>
    </Group>
  );
}
