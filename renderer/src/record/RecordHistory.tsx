import { Loader, Paper, Stack, Text, Title } from '@mantine/core';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../chart/format';
import { useLocale } from '../chart/useLocale';
import { useCall } from '../contract/hooks';
import { obj, str } from '../patient/fhir-read';

/** Every version of one item of the record, newest first: who changed what is in the journal's history. */
export function RecordHistory({ resourceType, id, currentVersion, describe }: { resourceType: string; id: string; currentVersion: string | undefined; describe: (resource: Record<string, unknown>) => string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const headingId = useId();
  const history = useCall('chart.history', { resourceType, id });
  return (
    <Paper withBorder p="xs" component="section" aria-labelledby={headingId} data-testid="record-history">
      <Title order={3} size="h6" id={headingId} mb={4}>
        {t('record.history')}
      </Title>
      {history.status === 'loading' && <Loader size="xs" />}
      {history.status === 'error' && (
        <Text size="xs" c="red.9">
          {t(`errors.${history.error.code}`)}
        </Text>
      )}
      {history.status === 'ok' && (
        <Stack gap={2} component="ol" m={0} p={0} style={{ listStyle: 'none' }}>
          {history.value.source === 'cache' && (
            <Text size="xs" c="red.9" component="li">
              {t('record.historyOffline')}
            </Text>
          )}
          {history.value.versions.length === 0 && (
            <Text size="xs" c="dimmed" component="li">
              {t('record.historyNew')}
            </Text>
          )}
          {history.value.versions.map((version) => (
            <Text size="xs" key={version.versionId} component="li" data-testid="record-version" style={{ overflowWrap: 'anywhere' }}>
              <strong>{t('record.version', { version: version.versionId })}</strong>
              {version.versionId === currentVersion && ` (${t('record.current')})`} · {t('record.changedAt', { time: formatDate(version.lastUpdated ?? str(obj(version.resource.meta)?.lastUpdated, 40), locale) })} · {describe(version.resource)}
            </Text>
          ))}
        </Stack>
      )}
    </Paper>
  );
}
