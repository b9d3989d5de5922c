import { AppShell, Center, Group, Stack, Text, Title } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionStatus } from '../../../shared/contract';
import { ChartView } from '../chart/ChartView';
import { useContract } from '../contract/hooks';
import { PatientSearch } from '../search/PatientSearch';
import { TestCardBadge } from '../session/SessionCard';
import { OfflineBanner, SyncCenterProvider, SyncStatusBadge, useSyncCenter } from '../sync';
import { Worklist } from '../worklist/Worklist';
import { AboutDialog } from './AboutDialog';
import { ClinicianMenu } from './ClinicianMenu';
import { PatientContextProvider, usePatientContext } from './patient-context';
import classes from './Workstation.module.css';

function PatientArea() {
  const { t } = useTranslation();
  const { patientId, close } = usePatientContext();
  if (!patientId) {
    return (
      <Center h="100%">
        <Stack gap={4} align="center" maw={420} ta="center">
          <Title order={2} size="h4" c="dimmed">
            {t('shell.noPatient')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('shell.noPatientHint')}
          </Text>
        </Stack>
      </Center>
    );
  }
  // key: a new patient is a new chart; nothing of the previous one is kept.
  return <ChartView key={patientId} patientId={patientId} onClose={close} />;
}

function Shell({ status, onLocked }: { status: SessionStatus; onLocked: (status: SessionStatus) => void }) {
  const { t } = useTranslation();
  const client = useContract();
  const { close } = usePatientContext();
  const sync = useSyncCenter();
  const [about, setAbout] = useState(false);
  const lock = (): void => {
    close();
    client.call('session.lock', {}).then(onLocked, () => undefined);
  };
  useHotkeys(
    [
      ['mod+W', close],
      ['mod+L', lock],
    ],
    [],
  );
  return (
    <AppShell header={{ height: 52 }} navbar={{ width: { base: 260, xl: 300 }, breakpoint: 0 }} padding={0} className={classes.shell}>
      <AppShell.Header className={classes.header}>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="md" wrap="nowrap">
            <Title order={1} size="h4" className={classes.brand}>
              {t('app.title')}
            </Title>
            <PatientSearch />
            {status.card?.isTest && <TestCardBadge />}
          </Group>
          <Group gap="md" wrap="nowrap">
            <SyncStatusBadge />
            <ClinicianMenu status={status} onLock={lock} onAbout={() => setAbout(true)} />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar aria-label={t('worklist.heading')} className={classes.navbar}>
        <Worklist />
      </AppShell.Navbar>
      <AppShell.Main className={classes.main}>
        <OfflineBanner status={sync.status} sessionOffline={status.offline === true} className={classes.offline} />
        <PatientArea />
      </AppShell.Main>
      <AboutDialog opened={about} onClose={() => setAbout(false)} />
    </AppShell>
  );
}

/** The clinician's window after login: header with search, the worklist column, the patient area. */
export function Workstation({ status, onLocked }: { status: SessionStatus; onLocked: (status: SessionStatus) => void }) {
  return (
    <PatientContextProvider>
      <SyncCenterProvider>
        <Shell status={status} onLocked={onLocked} />
      </SyncCenterProvider>
    </PatientContextProvider>
  );
}
