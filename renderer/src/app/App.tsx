import { AppShell, Button, Center, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { lazy, Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AboutDialog } from '../shell/AboutDialog';
import { LanguageSwitch } from './LanguageSwitch';
import { SessionCard, TestCardBadge, useSessionStatus } from '../session/SessionCard';

// Everything after login loads only after login: the first screen stays small and fast.
const Workstation = lazy(() => import('../shell/Workstation').then((module) => ({ default: module.Workstation })));

/** Before login: the card login. After: the clinician's workstation. */
export function App() {
  const { t } = useTranslation();
  const session = useSessionStatus();
  const [about, setAbout] = useState(false);
  const status = session.status;
  if (status?.state === 'active') {
    return (
      <Suspense
        fallback={
          <Center h="100dvh">
            <Group gap="xs">
              <Loader size="sm" />
              <Text size="sm">{t('shell.loadingWorkstation')}</Text>
            </Group>
          </Center>
        }
      >
        <Workstation status={status} onLocked={session.set} />
      </Suspense>
    );
  }
  return (
    <AppShell header={{ height: 52 }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="sm" align="baseline">
            <Title order={1} size="h3">
              {t('app.title')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('app.subtitle')}
            </Text>
            {status?.card?.isTest && <TestCardBadge />}
          </Group>
          <Group gap="sm">
            <Button variant="subtle" size="compact-sm" onClick={() => setAbout(true)}>
              {t('shell.about')}
            </Button>
            <LanguageSwitch />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main>
        <Center mih="calc(100dvh - 120px)">
          <Stack w={440} gap="md">
            <SessionCard session={session} />
          </Stack>
        </Center>
      </AppShell.Main>
      <AboutDialog opened={about} onClose={() => setAbout(false)} />
    </AppShell>
  );
}
