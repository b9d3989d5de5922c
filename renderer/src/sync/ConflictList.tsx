import { Button, Stack, Table, Text, VisuallyHidden } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ContractErrorAlert } from '../app/ContractErrorAlert';
import { useLocale } from '../chart/useLocale';
import { ConflictDialog } from './ConflictDialog';
import { formatWhen } from './format-when';
import { diffResources } from './resource-diff';
import { useConflicts } from './useConflicts';
import { useResourceLabel } from './useResourceLabel';

/** The conflicts waiting for the clinician, one row each; a row opens the side-by-side dialog. */
export function ConflictList({ onDialog }: { onDialog?: (open: boolean) => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const label = useResourceLabel();
  const { state, resolve } = useConflicts(true);
  const [openId, setOpenId] = useState<number | null>(null);
  const dialogOpen = openId !== null && state.status === 'ok' && state.value.some((conflict) => conflict.id === openId);
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
  const conflicts = state.value;
  const opened = conflicts.find((conflict) => conflict.id === openId);
  return (
    <Stack gap="xs">
      <Text size="sm">{t('syncCenter.conflicts.intro')}</Text>
      {conflicts.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('syncCenter.conflicts.none')}
        </Text>
      ) : (
        <Table striped withTableBorder verticalSpacing={4} aria-label={t('syncCenter.conflicts.label')} data-testid="conflict-list">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('syncCenter.resource')}</Table.Th>
              <Table.Th scope="col">{t('syncCenter.when')}</Table.Th>
              <Table.Th scope="col">{t('syncCenter.conflicts.differences')}</Table.Th>
              <Table.Th scope="col">
                <VisuallyHidden>{t('syncCenter.actions')}</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {conflicts.map((conflict) => {
              const name = label(conflict.resourceType, conflict.resourceId);
              return (
                <Table.Tr key={conflict.id}>
                  <Table.Td>{name}</Table.Td>
                  <Table.Td>{formatWhen(conflict.createdAt, locale)}</Table.Td>
                  <Table.Td>{t('syncCenter.conflicts.fieldCount', { count: diffResources(conflict.mine, conflict.theirs).filter((row) => row.changed).length })}</Table.Td>
                  <Table.Td ta="right">
                    <Button size="compact-sm" variant="light" aria-label={t('syncCenter.conflicts.openLabel', { resource: name })} onClick={() => setOpenId(conflict.id)}>
                      {t('syncCenter.conflicts.open')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      {opened && (
        <ConflictDialog
          key={opened.id}
          conflict={opened}
          onClose={() => setOpenId(null)}
          onResolve={async (decision) => {
            await resolve(opened.id, decision);
            setOpenId(null);
          }}
        />
      )}
    </Stack>
  );
}
