import { Alert, Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../chart/format';
import { useLocale } from '../chart/useLocale';
import type { DraftLoad } from './useNoteDraft';

/** "An unsigned note from 14:32 is kept": offered back whole when the patient is opened again. */
export function DraftNotice({ load, onContinue }: { load: DraftLoad; onContinue: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  if (load.status === 'unreadable') {
    return (
      <Alert color="red" variant="light" p="xs" m="xs" data-testid="draft-unreadable">
        {t('noteEditor.draftUnreadable', { time: formatDate(load.updatedAt, locale) })}
      </Alert>
    );
  }
  if (load.status !== 'ready' || !load.form) {
    return null;
  }
  return (
    <Alert color="yellow" variant="light" p="xs" m="xs" data-testid="draft-notice">
      <Group justify="space-between" wrap="nowrap" gap="xs">
        <Text size="sm">{t('noteEditor.draftKept', { time: formatDate(load.updatedAt, locale) })}</Text>
        <Button size="compact-sm" onClick={onContinue}>
          {t('noteEditor.continueDraft')}
        </Button>
      </Group>
    </Alert>
  );
}
