import { Alert, Loader, Modal, Table, Text } from '@mantine/core';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ContractError, type AccessLogEntry } from '../../../shared/contract';
import { formatDate } from '../chart/format';
import { useLocale } from '../chart/useLocale';
import { useContract } from '../contract/hooks';

type Load = { status: 'loading' } | { status: 'ok'; entries: AccessLogEntry[] } | { status: 'error'; message: string };

/**
 * "Hvem har sett journalen": the journal's access log of the patient (who, when, from which
 * organisation, on which basis, which documents by kind and title). The journal decides who may
 * read it (the privacy officer, the patient); anyone else sees its refusal here.
 */
export function AccessLogDialog({ patientId, opened, onClose }: { patientId: string; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const client = useContract();
  const [load, setLoad] = useState<Load>({ status: 'loading' });
  useEffect(() => {
    if (!opened) {
      return undefined;
    }
    let current = true;
    client.call('access.log', { patientId }).then(
      (entries) => current && setLoad({ status: 'ok', entries }),
      (error: unknown) => current && setLoad({ status: 'error', message: error instanceof ContractError ? error.message || t(`errors.${error.code}`) : t('errors.INTERNAL') }),
    );
    return () => {
      current = false;
      setLoad({ status: 'loading' });
    };
  }, [client, patientId, opened, t]);
  return (
    <Modal opened={opened} onClose={onClose} title={t('access.logTitle')} size={1100} closeButtonProps={{ 'aria-label': t('chart.close') }}>
      {load.status === 'loading' && <Loader size="sm" />}
      {load.status === 'error' && (
        <Alert color="red" variant="light" data-testid="access-log-refused">
          {load.message}
        </Alert>
      )}
      {load.status === 'ok' && (
        <>
          <Text size="xs" c="dimmed" mb={4}>
            {t('access.logCount', { count: load.entries.length })}
          </Text>
          <Table striped withRowBorders={false} verticalSpacing={3} data-testid="access-log">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('access.logWhen')}</Table.Th>
                <Table.Th>{t('access.logWho')}</Table.Th>
                <Table.Th>{t('access.logWhere')}</Table.Th>
                <Table.Th>{t('access.logBasis')}</Table.Th>
                <Table.Th>{t('access.logWhat')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {load.entries.map((entry, index) => (
                <Table.Tr key={`${entry.at}-${index}`} data-testid="access-log-entry">
                  <Table.Td>
                    <Text size="xs" ff="monospace">
                      {formatDate(entry.at, locale)}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{entry.who}</Text>
                    {entry.hpr && (
                      <Text size="xs" c="dimmed">
                        HPR {entry.hpr}
                        {entry.role ? ` · ${t(`access.roles.${entry.role}`, { defaultValue: entry.role })}` : ''}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{entry.organisation ?? '–'}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" c={entry.basis === 'self-authorisation' ? 'grape.9' : undefined}>
                      {entry.basis ? t(`access.bases.${entry.basis}`, { defaultValue: entry.basis }) : '–'}
                    </Text>
                    {entry.reason && (
                      <Text size="xs" c="dimmed">
                        {entry.reason}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">
                      {t(`access.actions.${entry.action}`, { defaultValue: entry.action })}
                      {entry.outcome >= 400 ? ` (${t('access.refused')})` : ''}
                    </Text>
                    {entry.documents.slice(0, 5).map((document, d) => (
                      <Text key={d} size="xs" c="dimmed">
                        {document.kind}
                        {document.title ? `: ${document.title}` : ''}
                      </Text>
                    ))}
                    {entry.documents.length > 5 && (
                      <Text size="xs" c="dimmed">
                        {t('access.moreDocuments', { count: entry.documents.length - 5 })}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </>
      )}
    </Modal>
  );
}
