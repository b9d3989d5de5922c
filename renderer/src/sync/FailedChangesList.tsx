import { Button, Group, Modal, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ContractError } from '../../../shared/contract';
import { ContractErrorAlert } from '../app/ContractErrorAlert';
import { useLocale } from '../chart/useLocale';
import { formatWhen } from './format-when';
import { useFailedChanges, type FailedChange } from './useFailedChanges';
import { useResourceLabel } from './useResourceLabel';

/**
 * The changes the journal refused, with its reason (text from the journal, shown as text): send
 * one again, or throw it away after a confirmation that says what is lost.
 */
export function FailedChangesList({ onDialog }: { onDialog?: (open: boolean) => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const label = useResourceLabel();
  const { state, retry, discard } = useFailedChanges(true);
  const [confirming, setConfirming] = useState<FailedChange | null>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const [error, setError] = useState<ContractError | null>(null);
  const dialogOpen = confirming !== null;
  useEffect(() => {
    onDialog?.(dialogOpen);
    return () => onDialog?.(false);
  }, [onDialog, dialogOpen]);
  if (state.status === 'loading') {
    return (
      <Text size="sm" c="dimmed">
        {t('syncCenter.loading')}
      </Text>
    );
  }
  if (state.status === 'error') {
    return <ContractErrorAlert error={state.error} />;
  }
  const run = async (seq: number, action: (seq: number) => Promise<void>): Promise<void> => {
    setBusy(seq);
    setError(null);
    try {
      await action(seq);
    } catch (failure: unknown) {
      setError(failure instanceof ContractError ? failure : new ContractError('INTERNAL', 'unexpected failure'));
    } finally {
      setBusy(null);
    }
  };
  const changes = state.value;
  return (
    <Stack gap="xs">
      <Text size="sm">{t('syncCenter.failed.intro')}</Text>
      {error && <ContractErrorAlert error={error} />}
      {changes.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('syncCenter.failed.none')}
        </Text>
      ) : (
        <Table striped withTableBorder verticalSpacing={4} aria-label={t('syncCenter.failed.label')} data-testid="failed-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('syncCenter.resource')}</Table.Th>
              <Table.Th scope="col">{t('syncCenter.savedAt')}</Table.Th>
              <Table.Th scope="col">{t('syncCenter.failed.reason')}</Table.Th>
              <Table.Th scope="col">
                <VisuallyHidden>{t('syncCenter.actions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {changes.map((change) => {
              const name = label(change.resourceType, change.resourceId);
              return (
                <Table.Tr key={change.seq}>
                  <Table.Td>{name}</Table.Td>
                  <Table.Td>{formatWhen(change.savedAt, locale)}</Table.Td>
                  <Table.Td>
                    {change.reason ?? (
                      <Text span size="sm" c="dimmed">
                        {t('syncCenter.failed.noReason')}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap" justify="flex-end">
                      <Button size="compact-sm" variant="light" aria-label={t('syncCenter.failed.retryLabel', { resource: name })} loading={busy === change.seq} disabled={busy !== null && busy !== change.seq} onClick={() => void run(change.seq, retry)}>
                        {t('syncCenter.failed.retry')}
                      </Button>
                      <Button size="compact-sm" variant="subtle" color="red" aria-label={t('syncCenter.failed.discardLabel', { resource: name })} disabled={busy !== null} onClick={() => setConfirming(change)}>
                        {t('syncCenter.failed.discard')}
                      </Button>
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      <Modal opened={confirming !== null} onClose={() => setConfirming(null)} title={t('syncCenter.failed.confirmTitle')} closeButtonProps={{ 'aria-label': t('chart.close') }}>
        {confirming && (
          <Stack gap="sm">
            <Text size="sm">{t('syncCenter.failed.confirmText', { resource: label(confirming.resourceType, confirming.resourceId), time: formatWhen(confirming.savedAt, locale) })}</Text>
            {confirming.reason && (
              <Text size="sm" c="dimmed">
                {t('syncCenter.failed.confirmReason', { reason: confirming.reason })}
              </Text>
            )}
            <Group justify="flex-end" gap="xs">
              <Button variant="default" size="sm" onClick={() => setConfirming(null)} data-autofocus>
                {t('syncCenter.failed.cancel')}
              </Button>
              <Button
                color="red"
                size="sm"
                onClick={() => {
                  const seq = confirming.seq;
                  setConfirming(null);
                  void run(seq, discard);
                }}
              >
                {t('syncCenter.failed.confirm')}
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </Stack>
  );
}
