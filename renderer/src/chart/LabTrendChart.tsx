import '@mantine/charts/styles.css';
import { LineChart } from '@mantine/charts';
import { Group, Stack, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatValue } from './format';
import type { LabPoint, LabSeries } from './shape-chart';
import { useLocale } from './useLocale';

const COLORS = ['blue.7', 'grape.7', 'teal.7'];

/** A series over time with its reference band; a click on the plot shows that point's value, date and source. */
export function LabTrendChart({ series }: { series: LabSeries }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [selected, setSelected] = useState<LabPoint>(series.latest);
  const data = useMemo(
    () =>
      series.points.map((point) => ({
        date: formatDate(point.date.slice(0, 10), locale),
        ...Object.fromEntries(series.dimensions.map((name, i) => [name, point.values[i] ?? null])),
      })),
    [series, locale],
  );
  const values = series.points.flatMap((point) => point.values.filter((v): v is number => v !== undefined));
  const min = Math.min(...values, series.low ?? Infinity);
  const max = Math.max(...values, series.high ?? -Infinity);
  const pad = (max - min) * 0.1 || 1;
  return (
    <Stack gap="sm" data-testid="lab-trend">
      {series.unit && (
        <Text size="xs" c="dimmed">
          {series.unit} · {t('chart.points', { count: series.points.length })}
        </Text>
      )}
      <LineChart
        h={320}
        data={data}
        dataKey="date"
        series={series.dimensions.map((name, i) => ({ name, color: COLORS[i % COLORS.length] ?? 'blue.7' }))}
        curveType="linear"
        withLegend={series.dimensions.length > 1}
        yAxisProps={{ domain: [Math.floor(min - pad), Math.ceil(max + pad)], width: 48 }}
        referenceAreas={
          series.low !== undefined || series.high !== undefined
            ? [{ y1: series.low ?? Math.floor(min - pad), y2: series.high ?? Math.ceil(max + pad), color: 'green', fillOpacity: 0.12, label: t('chart.range') }]
            : []
        }
        lineChartProps={{
          onClick: (state: { activeTooltipIndex?: number | string | null } | null) => {
            const index = Number(state?.activeTooltipIndex);
            const point = Number.isInteger(index) ? series.points[index] : undefined;
            if (point) {
              setSelected(point);
            }
          },
        }}
        role="img"
        aria-label={t('chart.trend', { name: series.name })}
      />
      <Group gap="lg" data-testid="lab-point">
        <Text size="sm" fw={700} c={selected.outOfRange ? 'red.8' : undefined}>
          {t('chart.pointDetail', { value: selected.values.map((v) => formatValue(v, locale)).join('/'), unit: series.unit ?? '', date: formatDate(selected.date, locale) })}
        </Text>
        {selected.outOfRange && (
          <Text size="sm" c="red.8">
            {t('chart.outOfRange')}
          </Text>
        )}
        {selected.source && (
          <Text size="sm" c="dimmed">
            {t('chart.sourceOf', { source: selected.source })}
          </Text>
        )}
      </Group>
    </Stack>
  );
}
