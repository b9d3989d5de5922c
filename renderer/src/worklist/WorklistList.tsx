import { Box, Group, Text, UnstyledButton } from '@mantine/core';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { WorklistItem } from './worklist-rows';
import classes from './WorklistList.module.css';

const ROW_HEIGHT = 46;

/**
 * A worklist as one listbox: virtualised, so 1,500 rows stay smooth; arrow keys, Page Up/Down,
 * Home and End move, Enter or a click opens. The focus stays on the list (aria-activedescendant).
 */
export function WorklistList({ items, label, idPrefix, openPatientId, onOpen, showTime }: {
  items: WorklistItem[];
  label: string;
  idPrefix: string;
  openPatientId: string | undefined;
  onOpen: (patientId: string) => void;
  showTime: boolean;
}) {
  const { t } = useTranslation();
  const parent = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  // eslint-disable-next-line react-hooks/incompatible-library -- TanStack Virtual's functions can not be memoised; this component re-renders with its scroll position by design.
  const virtualizer = useVirtualizer({ count: items.length, getScrollElement: () => parent.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const clamp = (index: number) => Math.max(0, Math.min(items.length - 1, index));
  const move = (index: number): void => {
    const next = clamp(index);
    setActive(next);
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const page = Math.max(1, Math.floor((parent.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = { ArrowDown: active + 1, ArrowUp: active - 1, PageDown: active + page, PageUp: active - page, Home: 0, End: items.length - 1 };
    const target = moves[event.key];
    if (target !== undefined) {
      event.preventDefault();
      move(target);
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      const item = items[active];
      if (item) {
        onOpen(item.patientId);
      }
    }
  };
  const optionId = (index: number) => `${idPrefix}-${index}`;

  return (
    <div
      ref={parent}
      className={classes.scroller}
      role="listbox"
      aria-label={label}
      tabIndex={0}
      aria-activedescendant={items.length > 0 ? optionId(active) : undefined}
      onKeyDown={onKeyDown}
      data-testid={`${idPrefix}-list`}
    >
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((row) => {
          const item = items[row.index];
          if (!item) {
            return null;
          }
          const patient = item.patient;
          return (
            <UnstyledButton
              key={row.key}
              id={optionId(row.index)}
              role="option"
              aria-selected={row.index === active}
              tabIndex={-1}
              className={classes.row}
              data-active={row.index === active || undefined}
              data-open={item.patientId === openPatientId || undefined}
              style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }}
              onClick={() => {
                setActive(row.index);
                onOpen(item.patientId);
              }}
              data-testid="worklist-row"
            >
              <Group gap="xs" wrap="nowrap" align="flex-start">
                {showTime && (
                  <Text size="sm" fw={600} ff="monospace" w={44} className={classes.time}>
                    {item.time ?? '–'}
                  </Text>
                )}
                <Box style={{ minWidth: 0, flex: 1 }}>
                  <Group justify="space-between" wrap="nowrap" gap={4}>
                    <Text size="sm" fw={600} truncate>
                      {patient?.sortName || t('worklist.notCached')}
                    </Text>
                    {patient?.age !== undefined && (
                      <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                        {t('patient.age', { age: patient.age })} {t(`patient.sexShort.${patient.sex}`)}
                      </Text>
                    )}
                  </Group>
                  <Text size="xs" c="dimmed" truncate>
                    {showTime ? (item.reason ?? patient?.nationalId?.formatted ?? '') : (patient?.nationalId?.formatted ?? '')}
                  </Text>
                </Box>
              </Group>
            </UnstyledButton>
          );
        })}
      </div>
    </div>
  );
}
