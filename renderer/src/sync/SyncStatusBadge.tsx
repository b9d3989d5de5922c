import { Badge, Group, Text, Tooltip } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useLocale } from '../chart/useLocale';
import { formatWhen } from './format-when';
import classes from './SyncStatusBadge.module.css';
import { useSyncCenter } from './sync-center';

/**
 * In the header while logged in: online or offline, how many changes wait and since when, and
 * conflicts or refusals that need the clinician (a button to their lists). Saved work is never
 * hidden behind "all good".
 */
export function SyncStatusBadge() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { status, open } = useSyncCenter();
  if (!status) {
    return null;
  }
  const time = (iso: string | null): string => (iso ? formatWhen(iso, locale) : '–');
  const attention = status.conflicts + status.failed;
  return (
    <Group gap={6} wrap="nowrap" data-testid="sync-status" data-online={status.online} data-pending={status.pending} aria-live="polite">
      <Tooltip
        multiline
        w={280}
        label={[
          status.online ? '' : t('syncCenter.offline.meaning'),
          t('sync.lastSync', { time: time(status.lastSuccessfulSyncAt) }),
          status.oldestPendingAt ? t('sync.oldestPending', { time: time(status.oldestPendingAt) }) : '',
          status.lastError ? t('sync.lastError', { error: status.lastError }) : '',
        ]
          .filter(Boolean)
          .join(' · ')}
      >
        <Group gap={6} wrap="nowrap">
          {/* Short: the amber banner below the header says what offline means. */}
          <Badge color={status.online ? 'teal' : 'orange'} c={status.online ? undefined : 'dark.8'} variant="light" className={classes.fixed}>
            {status.online ? t('sync.online') : t('syncCenter.badgeOffline')}
          </Badge>
          {status.pending > 0 && (
            <Text size="xs" c="dimmed" className={classes.fixed}>
              {t('sync.pending', { count: status.pending })}
            </Text>
          )}
        </Group>
      </Tooltip>
      {attention > 0 && (
        <Badge
          component="button"
          type="button"
          color="red"
          variant="filled"
          className={classes.attention}
          onClick={() => open()}
          aria-label={`${t('sync.attention', { count: attention })}: ${t('syncCenter.openAttention')}`}
          data-testid="sync-attention"
        >
          {t('sync.attention', { count: attention })}
        </Badge>
      )}
    </Group>
  );
}
