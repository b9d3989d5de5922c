import { Loader, Modal, Table, Text, UnstyledButton } from '@mantine/core';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ChartSection } from './ChartSection';
import { formatDate, formatValue } from './format';
import type { ChartModel, LabSeries } from './shape-chart';
import { useLocale } from './useLocale';
import classes from './LabResultsSection.module.css';

// The plotting library is large and only needed once a trend is opened.
const LabTrendChart = lazy(() => import('./LabTrendChart').then((module) => ({ default: module.LabTrendChart })));

const rangeOf = (series: LabSeries, locale: string): string =>
  series.rangeText ??
  (series.low !== undefined && series.high !== undefined
    ? `${formatValue(series.low, locale)}–${formatValue(series.high, locale)}`
    : series.low !== undefined
      ? `> ${formatValue(series.low, locale)}`
      : series.high !== undefined
        ? `< ${formatValue(series.high, locale)}`
        : '–');

/** The latest value of each series with its reference range (out of range marked); a click opens its trend. */
export function LabResultsSection({ model }: { model: ChartModel }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [open, setOpen] = useState<LabSeries | undefined>(undefined);
  return (
    <ChartSection id="labs" heading={t('chart.labs')}>
      {model.labs.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('chart.noLabs')}
        </Text>
      ) : (
        <Table verticalSpacing={3} horizontalSpacing={6} fz="sm" className={classes.table}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('chart.analysis')}</Table.Th>
              <Table.Th ta="right">{t('chart.latest')}</Table.Th>
              <Table.Th ta="right">{t('chart.range')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {model.labs.map((series) => (
              <Table.Tr key={series.key} data-testid="lab-series" data-out-of-range={series.latest.outOfRange || undefined}>
                <Table.Td>
                  <UnstyledButton className={classes.name} onClick={() => setOpen(series)} aria-label={t('chart.trend', { name: series.name })}>
                    {series.name}
                  </UnstyledButton>
                  <Text size="xs" c="dimmed">
                    {formatDate(series.latest.date, locale)} · {t('chart.points', { count: series.points.length })}
                  </Text>
                </Table.Td>
                <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
                  <Text span size="sm" fw={700} c={series.latest.outOfRange ? 'red.8' : undefined}>
                    {series.latest.values.map((value) => formatValue(value, locale)).join('/')}
                    {series.latest.outOfRange && <span className={classes.flag} aria-label={t('chart.outOfRange')}> *</span>}
                  </Text>{' '}
                  <Text span size="xs" c="dimmed">
                    {series.unit ?? ''}
                  </Text>
                </Table.Td>
                <Table.Td ta="right">
                  <Text size="xs" c="dimmed">
                    {rangeOf(series, locale)}
                  </Text>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Modal opened={open !== undefined} onClose={() => setOpen(undefined)} title={open ? t('chart.trend', { name: open.name }) : ''} size="xl" closeButtonProps={{ 'aria-label': t('chart.close') }}>
        {open && (
          <Suspense fallback={<Loader size="sm" />}>
            <LabTrendChart series={open} />
          </Suspense>
        )}
      </Modal>
    </ChartSection>
  );
}
