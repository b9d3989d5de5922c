import { Badge, Button, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import { lazy, Suspense, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { itemSyncState } from '../record/sync-state';
import { useRegisterActions, type WorkstationAction } from '../shell/actions';
import { ChartSection } from './ChartSection';
import { formatDate } from './format';
import { SyncBadge } from './JournalTimeline';
import type { ContextSectionProps } from './sections';
import type { CriticalItem } from './shape-chart';
import { useLocale } from './useLocale';
import classes from './ChartSection.module.css';

const CriticalInfoDialog = lazy(() => import('../record/CriticalInfoDialog').then((m) => ({ default: m.CriticalInfoDialog })));

/** Allergies, intolerances and other critical information (CAVE): red where critical; added and changed here. */
export function CriticalInfoSection({ model, patientId, syncStates, onSaved }: ContextSectionProps) {
  const { t } = useTranslation();
  const locale = useLocale();
  const items = model.critical;
  // Marked inactive here while the chart is open: shown dimmed until the chart is opened again, so the change can be followed to the journal.
  const changedInactive = model.criticalInactive.filter((item) => itemSyncState(syncStates, item) !== undefined);
  // undefined: closed; 'new': a new one; else the item changed.
  const [editing, setEditing] = useState<CriticalItem | 'new' | undefined>(undefined);
  const actions = useMemo<WorkstationAction[]>(() => [{ id: 'record.allergy', label: t('record.newAllergy'), group: t('palette.groups.patient'), run: () => setEditing('new') }], [t, setEditing]);
  useRegisterActions('record-critical', actions);
  return (
    <ChartSection
      id="critical"
      heading={t('chart.critical')}
      tone={items.some((item) => item.critical) ? 'critical' : undefined}
      extra={
        <Button variant="subtle" size="compact-xs" onClick={() => setEditing('new')} data-testid="new-allergy">
          {t('record.newAllergy')}
        </Button>
      }
    >
      {items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('chart.noCritical')}
        </Text>
      ) : (
        <Stack gap={6}>
          {items.map((item) => (
            <UnstyledButton key={item.key} className={classes.item} onClick={() => setEditing(item)} data-testid="critical-item" data-key={item.key}>
              <Group gap={6} wrap="nowrap" align="baseline">
                <Badge size="xs" color={item.critical ? 'red' : 'orange'} variant={item.critical ? 'filled' : 'light'} c={item.critical ? undefined : 'dark.8'} style={{ flexShrink: 0 }}>
                  {t(`chart.${item.kind}`)}
                </Badge>
                <Text size="sm" fw={600} c={item.critical ? 'red.9' : undefined} style={{ overflowWrap: 'anywhere', flex: 1, minWidth: 0 }}>
                  {item.text}
                </Text>
                <SyncBadge state={itemSyncState(syncStates, item)} />
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
            </UnstyledButton>
          ))}
        </Stack>
      )}
      {changedInactive.length > 0 && (
        <Stack gap={2} mt={6} data-testid="critical-inactive">
          {changedInactive.map((item) => (
            <UnstyledButton key={item.key} className={classes.item} onClick={() => setEditing(item)} data-testid="critical-inactive-item" data-key={item.key}>
              <Group gap={6} wrap="nowrap" align="baseline">
                <Text size="xs" c="dimmed" td="line-through" style={{ overflowWrap: 'anywhere', flex: 1, minWidth: 0 }}>
                  {item.text}
                </Text>
                <Text size="xs" c="dimmed">
                  {t('record.inactive')}
                </Text>
                <SyncBadge state={itemSyncState(syncStates, item)} />
              </Group>
            </UnstyledButton>
          ))}
        </Stack>
      )}
      {editing !== undefined && (
        <Suspense fallback={null}>
          <CriticalInfoDialog patientId={patientId} item={editing === 'new' ? undefined : editing} onClose={() => setEditing(undefined)} onSaved={onSaved} />
        </Suspense>
      )}
    </ChartSection>
  );
}
