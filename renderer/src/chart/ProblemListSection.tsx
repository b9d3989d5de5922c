import { Badge, Button, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { itemSyncState } from '../record/sync-state';
import { useRegisterActions, type WorkstationAction } from '../shell/actions';
import { ChartSection } from './ChartSection';
import { formatDate } from './format';
import { SyncBadge, type SyncState } from './JournalTimeline';
import type { ContextSectionProps } from './sections';
import type { ProblemItem } from './shape-chart';
import { useLocale } from './useLocale';
import classes from './ChartSection.module.css';

const ProblemDialog = lazy(() => import('../record/ProblemDialog').then((m) => ({ default: m.ProblemDialog })));

function ProblemRow({ item, resolved, syncState, onOpen }: { item: ProblemItem; resolved: boolean; syncState: SyncState | undefined; onOpen: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  return (
    <UnstyledButton className={classes.item} onClick={onOpen} data-testid="problem-item" data-key={item.key} data-resolved={resolved || undefined}>
      <Group gap={8} wrap="nowrap" align="baseline">
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
        <SyncBadge state={syncState} />
        <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
          {resolved ? t('chart.resolvedOn', { date: formatDate(item.resolved, locale) }) : item.onset ? formatDate(item.onset, locale) : ''}
        </Text>
      </Group>
    </UnstyledButton>
  );
}

/** Active problems with ICPC-2 code and Norwegian text; the resolved ones one click away; added and resolved here. */
export function ProblemListSection({ model, patientId, syncStates, onSaved }: ContextSectionProps) {
  const { t } = useTranslation();
  const [showResolved, setShowResolved] = useState(false);
  const [editing, setEditing] = useState<ProblemItem | 'new' | undefined>(undefined);
  const actions = useMemo<WorkstationAction[]>(() => [{ id: 'record.problem', label: t('record.newProblem'), group: t('palette.groups.patient'), run: () => setEditing('new') }], [t, setEditing]);
  useRegisterActions('record-problems', actions);
  const { active, resolved } = model.problems;
  return (
    <ChartSection
      id="problems"
      heading={t('chart.problems')}
      extra={
        <Group gap={4} wrap="nowrap">
          {resolved.length > 0 && (
            <Button variant="subtle" size="compact-xs" onClick={() => setShowResolved((shown) => !shown)} aria-expanded={showResolved}>
              {showResolved ? t('chart.hideResolved') : t('chart.showResolved', { count: resolved.length })}
            </Button>
          )}
          <Button variant="subtle" size="compact-xs" onClick={() => setEditing('new')} data-testid="new-problem">
            {t('record.newProblem')}
          </Button>
        </Group>
      }
    >
      <Stack gap={4}>
        {active.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('chart.noProblems')}
          </Text>
        )}
        {active.map((item) => (
          <ProblemRow key={item.key} item={item} resolved={false} syncState={itemSyncState(syncStates, item)} onOpen={() => setEditing(item)} />
        ))}
        {showResolved && resolved.map((item) => <ProblemRow key={item.key} item={item} resolved syncState={itemSyncState(syncStates, item)} onOpen={() => setEditing(item)} />)}
      </Stack>
      {editing !== undefined && (
        <Suspense fallback={null}>
          <ProblemDialog patientId={patientId} item={editing === 'new' ? undefined : editing} onClose={() => setEditing(undefined)} onSaved={onSaved} />
        </Suspense>
      )}
    </ChartSection>
  );
}
