import { Group, Paper, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import classes from './ChartSection.module.css';

/** One section of the chart: a labelled region with its heading, dense by default. */
export function ChartSection({ id, heading, extra, children, tone }: { id: string; heading: string; extra?: ReactNode; children: ReactNode; tone?: 'critical' }) {
  return (
    <Paper component="section" aria-labelledby={`${id}-heading`} withBorder className={classes.section} data-tone={tone} data-testid={`section-${id}`}>
      <Group justify="space-between" className={classes.header} wrap="nowrap">
        <Title order={2} size="h5" id={`${id}-heading`} className={classes.heading}>
          {heading}
        </Title>
        {extra}
      </Group>
      <div className={classes.body}>{children}</div>
    </Paper>
  );
}
