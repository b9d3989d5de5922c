import { AppShell, Center, Group, Stack, Text, Title } from '@mantine/core';
import { useCallback, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionStatus } from '../../../shared/contract';
import { ChartView } from '../chart/ChartView';
import { useContract } from '../contract/hooks';
import { PatientSearch, type PatientSearchHandle } from '../search/PatientSearch';
import { TestCardBadge } from '../session/SessionCard';
import { DemoBanner } from './DemoBanner';
import { OfflineBanner, SyncCenterProvider, SyncStatusBadge, useSyncCenter } from '../sync';
import { Worklist } from '../worklist/Worklist';
import { AboutDialog } from './AboutDialog';
import { ActionProvider, useRegisterActions, type WorkstationAction } from './actions';
import { CommandPalette } from './CommandPalette';
import { HelpOverlay } from './HelpOverlay';
import { ClinicianMenu } from './ClinicianMenu';
import { SettingsDialog } from '../settings/SettingsDialog';
import { PatientContextProvider, usePatientContext } from './patient-context';
import { useActivityReport } from './useActivityReport';
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

/** How long Ctrl+L waits for the open note's last save before it locks anyway. */
const LOCK_FLUSH_MS = 1_000;

function Shell({ status, onLocked }: { status: SessionStatus; onLocked: (status: SessionStatus) => void }) {
  const { t, i18n } = useTranslation();
  const client = useContract();
  const { patientId, close, closeNow } = usePatientContext();
  const sync = useSyncCenter();
  const [about, setAbout] = useState(false);
  const [help, setHelp] = useState(false);
  const [settings, setSettings] = useState(false);
  const search = useRef<PatientSearchHandle>(null);
  useActivityReport();
  // Locking never waits on a question and the patient leaves the screen at once; core locks once
  // the note being written has saved its last words (a locked cache takes no more), at most
  // LOCK_FLUSH_MS later.
  const lock = useCallback((): void => {
    const saved = closeNow().catch(() => undefined);
    void Promise.race([saved, new Promise((resolve) => setTimeout(resolve, LOCK_FLUSH_MS))])
      .then(() => client.call('session.lock', {}))
      .then(onLocked, () => undefined);
  }, [closeNow, client, onLocked]);
  const actions = useMemo<WorkstationAction[]>(() => {
    const app = t('palette.groups.app');
    const patient = t('palette.groups.patient');
    return [
      { id: 'patient.search', label: t('actions.search'), group: patient, hotkey: 'mod+K', boundElsewhere: true, run: () => search.current?.focus() },
      ...(patientId ? [{ id: 'patient.close', label: t('actions.closePatient'), group: patient, hotkey: 'mod+W', inTextFields: true, run: close }] : []),
      { id: 'app.lock', label: t('actions.lock'), group: app, hotkey: 'mod+L', inTextFields: true, run: lock },
      { id: 'app.palette', label: t('actions.palette'), group: app, hotkey: 'mod+shift+P', boundElsewhere: true, run: () => undefined },
      { id: 'app.help', label: t('actions.help'), group: app, hotkey: 'F1', inTextFields: true, run: () => setHelp(true) },
      { id: 'app.help-key', label: t('actions.help'), group: app, hotkey: 'shift+?', run: () => setHelp(true) },
      { id: 'sync.conflicts', label: t('actions.conflicts'), group: app, run: () => sync.openConflicts() },
      { id: 'sync.failed', label: t('actions.failed'), group: app, run: () => sync.openFailed() },
      { id: 'app.language', label: t('actions.language'), group: app, run: () => void i18n.changeLanguage(i18n.language === 'en' ? 'nb' : 'en') },
      { id: 'app.about', label: t('actions.about'), group: app, run: () => setAbout(true) },
      { id: 'app.settings', label: t('settings.menu'), group: app, run: () => setSettings(true) },
    ];
  }, [t, i18n, lock, patientId, close, sync]);
  useRegisterActions('shell', actions);
  return (
    <AppShell header={{ height: 52 }} navbar={{ width: { base: 260, xl: 300 }, breakpoint: 0 }} padding={0} className={classes.shell}>
      <AppShell.Header className={classes.header}>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="md" wrap="nowrap">
            <Title order={1} size="h4" className={classes.brand}>
              {t('app.title')}
            </Title>
            <PatientSearch ref={search} />
            {status.card?.isTest && <TestCardBadge />}
          </Group>
          <Group gap="md" wrap="nowrap">
            <SyncStatusBadge />
            <ClinicianMenu status={status} onLock={lock} onAbout={() => setAbout(true)} onSettings={() => setSettings(true)} />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar aria-label={t('worklist.heading')} className={classes.navbar}>
        <Worklist />
      </AppShell.Navbar>
      <AppShell.Main className={classes.main}>
        <DemoBanner demoJournal={status.demoJournal === true} className={classes.offline} />
        <OfflineBanner status={sync.status} sessionOffline={status.offline === true} className={classes.offline} />
        <PatientArea />
      </AppShell.Main>
      <AboutDialog opened={about} onClose={() => setAbout(false)} />
      <HelpOverlay opened={help} onClose={() => setHelp(false)} />
      <SettingsDialog opened={settings} onClose={() => setSettings(false)} />
      <CommandPalette />
    </AppShell>
  );
}

/** The clinician's window after login: header with search, the worklist column, the patient area. */
export function Workstation({
  status,
  onLocked,
  resumePatientId,
  resumeNote = false,
  onPatientChange,
  onNoteOpenChange,
}: {
  status: SessionStatus;
  onLocked: (status: SessionStatus) => void;
  resumePatientId?: string | undefined;
  /** The note for `resumePatientId` was open when the screen locked. */
  resumeNote?: boolean;
  onPatientChange?: (patientId: string | undefined) => void;
  onNoteOpenChange?: (open: boolean) => void;
}) {
  return (
    <ActionProvider>
      <PatientContextProvider
        initialPatientId={resumePatientId}
        resumeNote={resumeNote}
        {...(onPatientChange ? { onPatientChange } : {})}
        {...(onNoteOpenChange ? { onNoteOpenChange } : {})}
      >
        <SyncCenterProvider>
          <Shell status={status} onLocked={onLocked} />
        </SyncCenterProvider>
      </PatientContextProvider>
    </ActionProvider>
  );
}
