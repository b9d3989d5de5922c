import { Card, Group, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useContractEvent } from '../contract/hooks';
import { isLanguage, localeOf } from '../i18n/i18n';

/** The `app.clock` event as it arrives: the live half of the path core -> transport -> renderer. */
export function LiveClockCard() {
  const { t, i18n } = useTranslation();
  const tick = useContractEvent('app.clock');
  const locale = localeOf[isLanguage(i18n.language) ? i18n.language : 'nb'];

  return (
    <Card withBorder padding="md" aria-labelledby="clock-heading">
      <Title order={2} size="h4" id="clock-heading" mb="xs">
        {t('clock.heading')}
      </Title>
      {tick === undefined ? (
        <Text size="sm" c="dimmed">
          {t('clock.waiting')}
        </Text>
      ) : (
        <Group gap="xl" aria-live="polite">
          <Text size="sm">
            {t('clock.time')}:{' '}
            <Text span fw={600} ff="monospace" data-testid="clock-time" data-iso={tick.now}>
              {new Intl.DateTimeFormat(locale, { timeStyle: 'medium' }).format(new Date(tick.now))}
            </Text>
          </Text>
          <Text size="sm">
            {t('clock.sequence')}{' '}
            <Text span fw={600} ff="monospace" data-testid="clock-seq">
              {tick.seq}
            </Text>
          </Text>
        </Group>
      )}
    </Card>
  );
}
