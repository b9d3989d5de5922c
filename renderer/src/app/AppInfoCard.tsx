import { Card, Loader, Group, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { localeOf, isLanguage } from '../i18n/i18n';
import { useCall, useContract } from '../contract/hooks';
import { ContractErrorAlert } from './ContractErrorAlert';

/** What `app.info` answers, with the transport that carried it: proves renderer -> transport -> core. */
export function AppInfoCard() {
  const { t, i18n } = useTranslation();
  const client = useContract();
  const info = useCall('app.info', {});
  const locale = localeOf[isLanguage(i18n.language) ? i18n.language : 'nb'];

  return (
    <Card withBorder padding="md" aria-labelledby="about-heading">
      <Title order={2} size="h4" id="about-heading" mb="xs">
        {t('about.heading')}
      </Title>
      {info.status === 'loading' && (
        <Group gap="xs">
          <Loader size="xs" />
          <Text size="sm">{t('about.loading')}</Text>
        </Group>
      )}
      {info.status === 'error' && <ContractErrorAlert error={info.error} />}
      {info.status === 'ok' && (
        <Table variant="vertical" withTableBorder={false} layout="fixed" fz="sm">
          <Table.Tbody>
            <Table.Tr>
              <Table.Th w={160}>{t('about.name')}</Table.Th>
              <Table.Td data-testid="app-name">{info.value.name}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('about.version')}</Table.Th>
              <Table.Td data-testid="app-version">{info.value.version}</Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('about.mode')}</Table.Th>
              <Table.Td data-testid="app-mode" data-mode={info.value.mode}>
                {t(`mode.${info.value.mode}`)}
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('about.buildTime')}</Table.Th>
              <Table.Td data-testid="app-build-time" data-iso={info.value.buildTime}>
                {new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'medium' }).format(
                  new Date(info.value.buildTime),
                )}
              </Table.Td>
            </Table.Tr>
            <Table.Tr>
              <Table.Th>{t('about.transport')}</Table.Th>
              <Table.Td data-testid="app-transport" data-transport={client.transportKind}>
                {t(`transport.${client.transportKind}`)}
              </Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      )}
    </Card>
  );
}
