import { Button, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ChartSection } from './ChartSection';
import { formatDate } from './format';
import type { ChartModel, MedicationItem } from './shape-chart';
import { useLocale } from './useLocale';

function MedicationRow({ item, stopped }: { item: MedicationItem; stopped: boolean }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <div data-testid="medication-item">
      <Text size="sm" fw={600} c={stopped ? 'dimmed' : undefined} style={{ overflowWrap: 'anywhere' }}>
        {item.name}
      </Text>
      <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
        {[item.dosage, item.since ? t('chart.since', { date: formatDate(item.since, locale) }) : undefined, stopped && item.until ? t('chart.until', { date: formatDate(item.until, locale) }) : undefined]
          .filter(Boolean)
          .join(' · ')}
      </Text>
    </div>
  );
}

/** Current medications (name, strength, dosage, since when); stopped ones one click away. */
export function MedicationsSection({ model }: { model: ChartModel }) {
  const { t } = useTranslation();
  const [showStopped, setShowStopped] = useState(false);
  const { current, stopped } = model.medications;
  return (
    <ChartSection
      id="medications"
      heading={t('chart.medications')}
      extra={
        stopped.length > 0 && (
          <Button variant="subtle" size="compact-xs" onClick={() => setShowStopped((shown) => !shown)} aria-expanded={showStopped}>
            {showStopped ? t('chart.hideStopped') : t('chart.showStopped', { count: stopped.length })}
          </Button>
        )
      }
    >
      <Stack gap={6}>
        {current.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('chart.noMedications')}
          </Text>
        )}
        {current.map((item) => (
          <MedicationRow key={item.id} item={item} stopped={false} />
        ))}
        {showStopped && stopped.map((item) => <MedicationRow key={item.id} item={item} stopped />)}
      </Stack>
    </ChartSection>
  );
}
