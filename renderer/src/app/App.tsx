import { AppShell, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { AppInfoCard } from './AppInfoCard';
import { LanguageSwitch } from './LanguageSwitch';
import { LiveClockCard } from './LiveClockCard';
import { SessionCard, TestCardBadge, useSessionStatus } from '../session/SessionCard';
import { SyncStatusBadge } from '../session/SyncStatusBadge';

/** The first screen: the window's header and what core says about itself. */
export function App() {
  const { t } = useTranslation();
  const session = useSessionStatus();
  return (
    <AppShell header={{ height: 48 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="sm" align="baseline">
            <Title order={1} size="h3">
              {t('app.title')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('app.subtitle')}
            </Text>
            {session.status?.card?.isTest && <TestCardBadge />}
          </Group>
          <Group gap="md">
            <SyncStatusBadge active={session.status?.state === 'active'} />
            <LanguageSwitch />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        <Stack maw={1200}>
          <SessionCard session={session} />
          <SimpleGrid cols={{ base: 1, md: 2 }}>
            <AppInfoCard />
            <LiveClockCard />
          </SimpleGrid>
        </Stack>
      </AppShell.Main>
    </AppShell>
  );
}
