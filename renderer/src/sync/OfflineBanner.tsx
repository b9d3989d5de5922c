import { Group, Paper, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { SyncStatusValue } from '../../../shared/contract';
import { useLocale } from '../chart/useLocale';
import classes from './OfflineBanner.module.css';
import { formatWhen } from './format-when';

/**
 * The amber "Frakoblet" banner: shown whenever the sync engine says the journal can not be
 * reached, or the login itself was made without it. Says what it means for the clinician's work
 * and how much waits, since when.
 */
export function OfflineBanner({ status, sessionOffline, className }: { status: SyncStatusValue | undefined; sessionOffline: boolean; className?: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  if (!sessionOffline && status?.online !== false) {
    return null;
  }
  return (
    <Paper radius={0} px="md" py={6} role="status" className={[classes.banner, className].filter(Boolean).join(' ')} data-testid="session-offline">
      <Group gap="xs" wrap="wrap">
        <Text size="sm" fw={700}>
          {t('syncCenter.offline.title')}
        </Text>
        <Text size="sm">{t('syncCenter.offline.meaning')}</Text>
        {sessionOffline && <Text size="sm">{t('syncCenter.offline.session')}</Text>}
        {status && (
          <Text size="sm" fw={600} data-testid="offline-pending">
            {status.pending === 0
              ? t('syncCenter.offline.nothingWaiting')
              : status.oldestPendingAt === null
                ? t('syncCenter.offline.count', { count: status.pending })
                : t('syncCenter.offline.waiting', { count: status.pending, since: formatWhen(status.oldestPendingAt, locale) })}
          </Text>
        )}
      </Group>
    </Paper>
  );
}
