import { Badge, Button, Checkbox, Group, Modal, ScrollArea, Stack, Table, Text, Textarea } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ContractError } from '../../../shared/contract';
import { ContractErrorAlert } from '../app/ContractErrorAlert';
import { useLocale } from '../chart/useLocale';
import classes from './ConflictDialog.module.css';
import { formatWhen } from './format-when';
import { checkMerge, mergeText, startMerge } from './merge';
import { diffResources } from './resource-diff';
import type { Conflict, ConflictDecision } from './useConflicts';
import { fieldLabelKey } from './field-labels';
import { useResourceLabel } from './useResourceLabel';

type Choice = ConflictDecision['keep'];

function Value({ text }: { text: string | undefined }) {
  const { t } = useTranslation();
  return text === undefined ? (
    <Text span size="sm" fs="italic" c="dimmed">
      {t('syncCenter.conflict.missing')}
    </Text>
  ) : (
    <Text span size="sm" className={classes.value}>
      {text}
    </Text>
  );
}

/** What the record is about, as the chart names it ("allergi/intoleranse: Peanøtter"), when it says. */
const titleOf = (conflict: Conflict): string | undefined => {
  const code = (conflict.theirs as { code?: { text?: unknown; coding?: { display?: unknown }[] } }).code;
  const text = typeof code?.text === 'string' ? code.text : typeof code?.coding?.[0]?.display === 'string' ? code.coding[0].display : undefined;
  return text ? text.slice(0, 120) : undefined;
};

/**
 * One conflict: my version and the journal's side by side, the differing fields marked, and the
 * three ways out. A merge is edited as FHIR JSON and only sent once it is the conflict's resource.
 */
export function ConflictDialog({ conflict, onClose, onResolve }: { conflict: Conflict; onClose: () => void; onResolve: (decision: ConflictDecision) => Promise<void> }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const label = useResourceLabel();
  const rows = useMemo(() => diffResources(conflict.mine, conflict.theirs), [conflict]);
  const changedCount = rows.filter((row) => row.changed).length;
  const [onlyChanged, setOnlyChanged] = useState(changedCount > 0);
  const [merging, setMerging] = useState(false);
  const [text, setText] = useState(() => mergeText(startMerge(conflict.mine, conflict.theirs)));
  const [attempted, setAttempted] = useState(false);
  const [busy, setBusy] = useState<Choice | null>(null);
  const [error, setError] = useState<ContractError | null>(null);
  const check = useMemo(() => checkMerge(text, conflict), [text, conflict]);
  // The button pressed goes away with the view it was in: focus follows to the new view's first
  // control, so a keyboard user is never left on the page behind the dialog.
  const editorRef = useRef<HTMLTextAreaElement>(null);
  const mergeButtonRef = useRef<HTMLButtonElement>(null);
  const switched = useRef(false);
  useEffect(() => {
    if (switched.current) {
      (merging ? editorRef.current : mergeButtonRef.current)?.focus();
    }
  }, [merging]);
  const switchTo = (merge: boolean): void => {
    switched.current = true;
    setMerging(merge);
  };
  const shown = onlyChanged ? rows.filter((row) => row.changed) : rows;

  const send = async (decision: ConflictDecision): Promise<void> => {
    setBusy(decision.keep);
    setError(null);
    try {
      await onResolve(decision);
    } catch (failure: unknown) {
      setError(failure instanceof ContractError ? failure : new ContractError('INTERNAL', 'unexpected failure'));
      setBusy(null);
    }
  };
  const sendMerge = (): void => {
    setAttempted(true);
    if (check.ok) {
      void send({ keep: 'merged', merged: check.resource });
    }
  };

  return (
    <Modal
      opened
      onClose={onClose}
      size={1200}
      title={t('syncCenter.conflict.title', { resource: `${label(conflict.resourceType, conflict.resourceId)}${titleOf(conflict) ? `: ${titleOf(conflict) ?? ''}` : ''}` })}
      closeButtonProps={{ 'aria-label': t('chart.close') }}
      data-testid="conflict-dialog"
    >
      <Stack gap="xs">
        <Group justify="space-between" gap="xs">
          <Text size="sm">{t('syncCenter.conflicts.intro')}</Text>
          <Text size="xs" c="dimmed">
            {t('syncCenter.conflict.occurred', { time: formatWhen(conflict.createdAt, locale) })}
          </Text>
        </Group>
        {merging ? (
          <Textarea
            label={t('syncCenter.conflict.mergeLabel')}
            description={t('syncCenter.conflict.mergeDescription')}
            value={text}
            onChange={(event) => setText(event.currentTarget.value)}
            // A fixed height (it scrolls) keeps the buttons on screen at 1366x768 for any size of resource.
            rows={16}
            resize="vertical"
            spellCheck={false}
            classNames={{ root: classes.merge, wrapper: classes.mergeWrapper, input: classes.json }}
            ref={editorRef}
            error={attempted && !check.ok ? t(`syncCenter.conflict.problem.${check.problem}`, { resourceType: conflict.resourceType, id: conflict.resourceId }) : undefined}
          />
        ) : (
          <>
            <Checkbox size="xs" label={t('syncCenter.conflict.onlyChanged')} checked={onlyChanged} onChange={(event) => setOnlyChanged(event.currentTarget.checked)} />
            {shown.length === 0 ? (
              <Text size="sm" c="dimmed">
                {t('syncCenter.conflict.noDifferences')}
              </Text>
            ) : (
              <ScrollArea.Autosize mah="50vh" type="auto">
                <Table withTableBorder withColumnBorders verticalSpacing={4} layout="fixed" data-testid="conflict-diff">
                  <Table.Thead className={classes.head}>
                    <Table.Tr>
                      <Table.Th scope="col" w="24%">
                        {t('syncCenter.conflict.field')}
                      </Table.Th>
                      <Table.Th scope="col">{t('syncCenter.conflict.mine')}</Table.Th>
                      <Table.Th scope="col">{t('syncCenter.conflict.theirs')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {shown.map((row) => (
                      <Table.Tr key={row.path} data-changed={row.changed} className={row.changed ? classes.changed : undefined}>
                        <Table.Th scope="row" fw={400}>
                          <Group gap={4} wrap="wrap">
                            {fieldLabelKey(row.path) ? (
                              <Stack gap={0}>
                                <Text span size="sm" fw={600}>
                                  {t(`syncCenter.field.${fieldLabelKey(row.path) ?? 'code'}`)}
                                </Text>
                                <Text span size="xs" c="dimmed" ff="monospace" className={classes.value}>
                                  {row.path}
                                </Text>
                              </Stack>
                            ) : (
                              <Text span size="sm" ff="monospace" className={classes.value}>
                                {row.path}
                              </Text>
                            )}
                            {row.changed && (
                              <Badge size="xs" color="indigo" variant="light" className={classes.noShrink}>
                                {t('syncCenter.conflict.changed')}
                              </Badge>
                            )}
                          </Group>
                        </Table.Th>
                        <Table.Td>
                          <Value text={row.mine} />
                        </Table.Td>
                        <Table.Td>
                          <Value text={row.theirs} />
                        </Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollArea.Autosize>
            )}
          </>
        )}
        {error && <ContractErrorAlert error={error} />}
        {merging ? (
          <Group justify="flex-end" gap="xs">
            <Button variant="default" size="sm" onClick={() => switchTo(false)} disabled={busy !== null}>
              {t('syncCenter.conflict.mergeBack')}
            </Button>
            <Button size="sm" onClick={sendMerge} loading={busy === 'merged'}>
              {t('syncCenter.conflict.mergeSend')}
            </Button>
          </Group>
        ) : (
          <Group justify="flex-end" gap="md" align="flex-start">
            {(
              [
                ['mine', 'keepMine', 'keepMineHint'],
                ['theirs', 'useTheirs', 'useTheirsHint'],
              ] as const
            ).map(([keep, name, hint]) => (
              <Stack key={keep} gap={2} align="center" maw={220}>
                <Button size="sm" variant={keep === 'mine' ? 'filled' : 'light'} onClick={() => void send({ keep })} loading={busy === keep} disabled={busy !== null && busy !== keep} aria-describedby={`conflict-${conflict.id}-${keep}`}>
                  {t(`syncCenter.conflict.${name}`)}
                </Button>
                <Text id={`conflict-${conflict.id}-${keep}`} size="xs" c="dimmed" ta="center">
                  {t(`syncCenter.conflict.${hint}`)}
                </Text>
              </Stack>
            ))}
            <Stack gap={2} align="center" maw={220}>
              <Button size="sm" variant="light" ref={mergeButtonRef} onClick={() => switchTo(true)} disabled={busy !== null} aria-describedby={`conflict-${conflict.id}-merge`}>
                {t('syncCenter.conflict.merge')}
              </Button>
              <Text id={`conflict-${conflict.id}-merge`} size="xs" c="dimmed" ta="center">
                {t('syncCenter.conflict.mergeHint')}
              </Text>
            </Stack>
          </Group>
        )}
      </Stack>
    </Modal>
  );
}
