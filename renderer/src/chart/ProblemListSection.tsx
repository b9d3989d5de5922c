import { Badge, Button, Group, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ChartSection } from './ChartSection';
import { formatDate } from './format';
import type { ChartModel, ProblemItem } from './shape-chart';
import { useLocale } from './useLocale';

function ProblemRow({ item, resolved }: { item: ProblemItem; resolved: boolean }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <Group gap={8} wrap="nowrap" align="baseline" data-testid="problem-item">
      <Badge size="sm" variant="light" color={resolved ? 'gray' : 'blue'} ff="monospace" w={52} style={{ flexShrink: 0 }}>
        {item.code ?? '–'}
      </Badge>
      <Text size="sm" style={{ flex: 1, minWidth: 0, overflowWrap: 'anywhere' }} c={resolved ? 'dimmed' : undefined}>
        {item.text}
        {item.unknownCode && (
          <Text span size="xs" c="red.9">
            {` (${t('chart.unknownCode')})`}
          </Text>
        )}
      </Text>
      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
        {resolved ? t('chart.resolvedOn', { date: formatDate(item.resolved, locale) }) : item.onset ? formatDate(item.onset, locale) : ''}
      </Text>
    </Group>
  );
}

/** Active problems with ICPC-2 code and Norwegian text; the resolved ones one click away. */
export function ProblemListSection({ model }: { model: ChartModel }) {
  const { t } = useTranslation();
  const [showResolved, setShowResolved] = useState(false);
  const { active, resolved } = model.problems;
  return (
    <ChartSection
      id="problems"
      heading={t('chart.problems')}
      extra={
        resolved.length > 0 && (
          <Button variant="subtle" size="compact-xs" onClick={() => setShowResolved((shown) => !shown)} aria-expanded={showResolved}>
            {showResolved ? t('chart.hideResolved') : t('chart.showResolved', { count: resolved.length })}
          </Button>
        )
      }
    >
      <Stack gap={4}>
        {active.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('chart.noProblems')}
          </Text>
        )}
        {active.map((item) => (
          <ProblemRow key={item.id} item={item} resolved={false} />
        ))}
        {showResolved && resolved.map((item) => <ProblemRow key={item.id} item={item} resolved />)}
      </Stack>
    </ChartSection>
  );
}
