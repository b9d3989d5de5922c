import { Badge, Group, ScrollArea, SegmentedControl, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { useDeferredValue, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate } from './format';
import type { TimelineItem, TimelineKind, TimelineSource } from './shape-chart';
import { useLocale } from './useLocale';
import classes from './JournalTimeline.module.css';

// Not the triage colours (orange, yellow, green, blue) nor red (critical): those carry their own meaning (UX.md).
const SOURCE_COLOR: Record<TimelineSource, string> = { own: 'gray', emergency: 'cyan', hospital: 'grape' };

/** Notes, encounters and documents, newest first; filterable by kind and source and searchable by text. */
/** Where a change made here stands; 'synced' once it reached the journal while the chart was open. */
export type SyncState = 'pending' | 'failed' | 'conflict' | 'synced';

const SYNC_COLOR: Record<SyncState, string> = { pending: 'orange', failed: 'red', conflict: 'red', synced: 'teal' };

export function SyncBadge({ state }: { state: SyncState | undefined }) {
  const { t } = useTranslation();
  if (!state) {
    return null;
  }
  return (
    // Dark text on orange: Mantine's light orange text is below AA (3.9:1) at this size.
    <Badge size="xs" variant="light" color={SYNC_COLOR[state]} c={state === 'pending' ? 'dark.8' : undefined} style={{ flexShrink: 0 }} data-testid="sync-state" data-state={state}>
      {t(`chart.unsynced.${state}`)}
    </Badge>
  );
}

export function JournalTimeline({
  items,
  onOpen,
  selectedKey,
  syncStates,
}: {
  items: TimelineItem[];
  onOpen: (item: TimelineItem) => void;
  selectedKey: string | undefined;
  syncStates?: ReadonlyMap<string, SyncState>;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const [kind, setKind] = useState<TimelineKind | 'all'>('all');
  const [source, setSource] = useState<TimelineSource | 'all'>('all');
  const [text, setText] = useState('');
  const query = useDeferredValue(text.trim().toLowerCase());
  const shown = useMemo(
    () =>
      items.filter(
        (item) =>
          // An encounter its note documents is the note's line, unless encounters are asked for.
          (kind === 'all' ? !item.documented : item.kind === kind) && (source === 'all' || item.source === source) && (query === '' || item.searchText.includes(query)),
      ),
    [items, kind, source, query],
  );
  return (
    <Stack gap={6} className={classes.timeline}>
      <Group gap="xs" wrap="wrap">
        <SegmentedControl
          size="xs"
          value={kind}
          onChange={setKind}
          aria-label={t('chart.filterKind')}
          data={(['all', 'note', 'encounter', 'document'] as const).map((value) => ({ value, label: t(`chart.kind.${value}`) }))}
        />
        <SegmentedControl
          size="xs"
          value={source}
          onChange={setSource}
          aria-label={t('chart.filterSource')}
          data={(['all', 'own', 'emergency', 'hospital'] as const).map((value) => ({ value, label: t(`chart.source.${value}`) }))}
        />
        <TextInput size="xs" placeholder={t('chart.searchTimeline')} aria-label={t('chart.searchTimeline')} value={text} onChange={(event) => setText(event.currentTarget.value)} className={classes.search} />
      </Group>
      <ScrollArea.Autosize mah="100%" type="auto" scrollbars="y" className={classes.scroll}>
        {items.length === 0 ? (
          <Text size="sm" c="dimmed" p="xs">
            {t('chart.noTimeline')}
          </Text>
        ) : shown.length === 0 ? (
          <Text size="sm" c="dimmed" p="xs">
            {t('chart.noMatches')}
          </Text>
        ) : (
          <ul className={classes.list} aria-label={t('chart.journal')}>
            {shown.map((item) => (
              <li key={item.key}>
                <UnstyledButton className={classes.item} data-selected={item.key === selectedKey || undefined} onClick={() => onOpen(item)} data-testid="timeline-item" data-key={item.key} data-kind={item.kind} data-source={item.source}>
                  <Group gap={8} wrap="nowrap" align="baseline">
                    <Text size="xs" ff="monospace" c="dimmed" w={78} style={{ flexShrink: 0 }}>
                      {formatDate(item.date?.slice(0, 10), locale)}
                    </Text>
                    <Text size="sm" fw={item.kind === 'note' ? 600 : 400} truncate style={{ flex: 1, minWidth: 0 }} td={item.status === 'entered-in-error' ? 'line-through' : undefined}>
                      {item.title}
                    </Text>
                    {item.corrects && (
                      <Badge size="xs" variant="outline" color="gray" style={{ flexShrink: 0 }}>
                        {t(`chart.corrects.${item.corrects}`)}
                      </Badge>
                    )}
                    {item.correctedBy && (
                      <Badge size="xs" variant="light" color="red" style={{ flexShrink: 0 }} data-testid="corrected-badge">
                        {t(`chart.correctedBy.${item.correctedBy.kind}`, { date: formatDate(item.correctedBy.date?.slice(0, 10), locale) })}
                      </Badge>
                    )}
                    <SyncBadge state={syncStates?.get(item.key)} />
                    <Badge size="xs" variant="light" color={SOURCE_COLOR[item.source]} style={{ flexShrink: 0 }}>
                      {t(`chart.source.${item.source}`)}
                    </Badge>
                  </Group>
                  {item.author && (
                    <Text size="xs" c="dimmed" truncate pl={86}>
                      {item.author}
                    </Text>
                  )}
                </UnstyledButton>
              </li>
            ))}
          </ul>
        )}
      </ScrollArea.Autosize>
    </Stack>
  );
}
