import { Badge, Group, Text, Tooltip } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncStatusValue } from '../../../shared/contract';
import { useContract } from '../contract/hooks';
import { isLanguage, localeOf } from '../i18n/i18n';

/** The sync status, asked once and then kept current by the `sync.status` event. */
const useSyncStatus = (active: boolean): SyncStatusValue | undefined => {
  const client = useContract();
  const [status, setStatus] = useState<SyncStatusValue | undefined>(undefined);
  useEffect(() => {
    if (!active) {
      return undefined;
    }
    let current = true;
    client.call('sync.status', {}).then(
      (value) => current && setStatus(value),
      () => undefined,
    );
    const off = client.on('sync.status', setStatus);
    return () => {
      current = false;
      off();
    };
  }, [client, active]);
  return active ? status : undefined;
};

/**
 * In the header while logged in: online or offline, how many changes wait and since when, and
 * conflicts or refusals that need the clinician. Saved work is never hidden behind "all good".
 */
export function SyncStatusBadge({ active }: { active: boolean }) {
  const { t, i18n } = useTranslation();
  const status = useSyncStatus(active);
  if (!status) {
    return null;
  }
  const locale = localeOf[isLanguage(i18n.language) ? i18n.language : 'nb'];
  const time = (iso: string | null): string => (iso ? new Intl.DateTimeFormat(locale, { timeStyle: 'short' }).format(new Date(iso)) : '–');
  const attention = status.conflicts > 0 || status.failed > 0;
  return (
    <Tooltip
      multiline
      w={280}
      label={[
        t('sync.lastSync', { time: time(status.lastSuccessfulSyncAt) }),
        status.oldestPendingAt ? t('sync.oldestPending', { time: time(status.oldestPendingAt) }) : '',
        status.lastError ? t('sync.lastError', { error: status.lastError }) : '',
      ]
        .filter(Boolean)
        .join(' · ')}
    >
      <Group gap={6} data-testid="sync-status" data-online={status.online} data-pending={status.pending} aria-live="polite">
        <Badge color={status.online ? 'teal' : 'orange'} variant="light">
          {status.online ? t('sync.online') : t('sync.offline')}
        </Badge>
        {status.pending > 0 && (
          <Text size="xs" c="dimmed">
            {t('sync.pending', { count: status.pending })}
          </Text>
        )}
        {attention && (
          <Badge color="red" variant="filled">
            {t('sync.attention', { count: status.conflicts + status.failed })}
          </Badge>
        )}
      </Group>
    </Tooltip>
  );
}
