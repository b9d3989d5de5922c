import { Badge, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ChartSection } from './ChartSection';
import { formatDate } from './format';
import type { ChartModel } from './shape-chart';
import { useLocale } from './useLocale';

/** Allergies, intolerances and other critical information (CAVE): red where critical. */
export function CriticalInfoSection({ model }: { model: ChartModel }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const items = model.critical;
  return (
    <ChartSection id="critical" heading={t('chart.critical')} tone={items.some((item) => item.critical) ? 'critical' : undefined}>
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('chart.noCritical')}
        </Text>
      ) : (
        <Stack gap={6}>
          {items.map((item) => (
            <div key={item.id} data-testid="critical-item">
              <Group gap={6} wrap="nowrap" align="baseline">
                <Badge size="xs" color={item.critical ? 'red' : 'orange'} variant={item.critical ? 'filled' : 'light'} style={{ flexShrink: 0 }}>
                  {t(`chart.${item.kind}`)}
                </Badge>
                <Text size="sm" fw={600} c={item.critical ? 'red.9' : undefined} style={{ overflowWrap: 'anywhere' }}>
                  {item.text}
                </Text>
              </Group>
              <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
                {[
                  item.reaction,
                  item.severity ? t(`chart.severity.${item.severity}`) : undefined,
                  item.verified === undefined ? undefined : item.verified ? t('chart.verified') : t('chart.unverified'),
                  item.date ? formatDate(item.date, locale) : undefined,
                  item.source,
                ]
                  .filter(Boolean)
                  .join(' · ')}
              </Text>
            </div>
          ))}
        </Stack>
      )}
    </ChartSection>
  );
}
