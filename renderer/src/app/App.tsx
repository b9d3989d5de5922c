import { AppShell, Button, Center, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { lazy, Suspense, useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AboutDialog } from '../shell/AboutDialog';
import { LanguageSwitch } from './LanguageSwitch';
import { SessionCard, TestCardBadge, useSessionStatus } from '../session/SessionCard';
import { FailureScreen } from '../failure/FailureScreen';
import { useHealth } from '../failure/useHealth';
import { useSettingsLanguage } from '../settings/useSettingsLanguage';

// Everything after login loads only after login: the first screen stays small and fast.
const Workstation = lazy(() => import('../shell/Workstation').then((module) => ({ default: module.Workstation })));

/** Before login: the card login. After: the clinician's workstation. */
export function App() {
  const { t } = useTranslation();
  const session = useSessionStatus();
  const [about, setAbout] = useState(false);
  const status = session.status;
  const health = useHealth(status?.state);
  useSettingsLanguage();
  // A problem the clinician chose to work past stays out of the way until something else goes wrong.
  const [dismissed, setDismissed] = useState('');
  const problemKey = health.problems.map((problem) => problem.kind).join(',');
  // The patient open when the screen locked, for the same clinician only: back after the PIN.
  // And whether a note was being written for them: it opens again with its draft.
  const [resume, setResume] = useState<{ hpr: string; patientId: string; note: boolean } | undefined>(undefined);
  const hpr = status?.clinician?.hpr;
  const rememberPatient = useCallback(
    (patientId: string | undefined) => setResume(hpr && patientId ? { hpr, patientId, note: false } : undefined),
    [hpr],
  );
  const rememberNote = useCallback((note: boolean) => setResume((current) => (current && current.note !== note ? { ...current, note } : current)), []);
  if (problemKey !== '' && problemKey !== dismissed) {
    return <FailureScreen problems={health.problems} onRetry={health.retry} onContinue={() => setDismissed(problemKey)} />;
  }
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
        <Workstation
          status={status}
          onLocked={session.set}
          resumePatientId={resume && resume.hpr === hpr ? resume.patientId : undefined}
          resumeNote={resume !== undefined && resume.hpr === hpr && resume.note}
          onPatientChange={rememberPatient}
          onNoteOpenChange={rememberNote}
        />
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
