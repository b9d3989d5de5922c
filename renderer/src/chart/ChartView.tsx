import { Alert, Button, Center, Group, Loader, Paper, Title } from '@mantine/core';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AccessLogDialog } from '../access/AccessLogDialog';
import { AccessMarkers } from '../access/AccessMarkers';
import { RefusedChart } from '../access/RefusedChart';
import { noteFormFrom } from '../notes/build-note';
import { DraftNotice } from '../notes/NoteComposer';
import { emptyNoteForm, type NoteForm } from '../notes/note-form';
import { useStoredDraft } from '../notes/useNoteDraft';
import { obj, str, type Json } from '../patient/fhir-read';
import { useRegisterActions, type WorkstationAction } from '../shell/actions';
import { usePatientContext } from '../shell/patient-context';
import { useSyncStatus } from '../sync';
import { JournalTimeline, type SyncState } from './JournalTimeline';
import { NoteView } from './NoteView';
import { PatientBanner } from './PatientBanner';
import { contextSections } from './sections';
import { shapeChart, type TimelineItem } from './shape-chart';
import { useChart } from './useChart';
import classes from './ChartView.module.css';

// The editor (and the ICPC-2 list it searches) loads when the first note is written.
const NoteEditor = lazy(() => import('../notes/NoteEditor').then((m) => ({ default: m.NoteEditor })));

/**
 * The whole chart at a glance for one patient: the banner on top, the record's timeline (or the
 * note opened from it) in the centre, critical information, problems, medications and lab results
 * as context on the right. Rendered with key={patientId}, so nothing survives a patient switch.
 */
export function ChartView({ patientId, onClose }: { patientId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const state = useChart(patientId);
  const [openKey, setOpenKey] = useState<string | undefined>(undefined);
  const [signedKey, setSignedKey] = useState<string | undefined>(undefined);
  const [composing, setComposing] = useState<NoteForm | undefined>(undefined);
  const draft = useStoredDraft(patientId);
  const sync = useSyncStatus();
  const resources = state.status === 'ok' ? state.chart.resources : undefined;
  const unsynced = useMemo(() => new Map((state.status === 'ok' ? state.chart.unsynced : []).map((u) => [`${u.resourceType}/${u.resourceId}`, u.state])), [state]);
  // Changes seen waiting while this chart is open show "synchronised" once they reach the journal.
  const [seenUnsynced, setSeenUnsynced] = useState<ReadonlySet<string>>(new Set());
  const newlySeen = [...unsynced.keys()].filter((key) => !seenUnsynced.has(key));
  if (newlySeen.length > 0) {
    setSeenUnsynced(new Set([...seenUnsynced, ...newlySeen]));
  }
  const syncStates = useMemo(() => {
    const states = new Map<string, SyncState>([...seenUnsynced].map((key) => [key, 'synced']));
    for (const [key, value] of unsynced) {
      states.set(key, value);
    }
    return states;
  }, [seenUnsynced, unsynced]);
  const kept = draft.load.status === 'ready' ? draft.load.form : undefined;
  const { resumeNoteFor, resumedNoteDone, noteOpenChanged } = usePatientContext();
  // Back after an unlock with the note that was open: the editor opens again with its draft, once.
  const resumeHere = resumeNoteFor === patientId;
  const [resumeChecked, setResumeChecked] = useState(false);
  if (!resumeChecked && draft.load.status === 'ready') {
    setResumeChecked(true);
    if (resumeHere && kept) {
      setComposing((current) => current ?? kept);
    }
  }
  useEffect(() => {
    if (resumeChecked && resumeHere) {
      resumedNoteDone();
    }
  }, [resumeChecked, resumeHere, resumedNoteDone]);
  // No report on unmount: a lock takes the chart away with the note still "open".
  useEffect(() => noteOpenChanged(composing !== undefined), [composing, noteOpenChanged]);
  // Saved here at this moment: its badge says so until the journal has it, then "synchronised".
  const markSaved = useCallback((key: string) => setSeenUnsynced((seen) => new Set([...seen, key])), []);

  /** Ctrl+N: the note kept as a draft if there is one (one note at a time per patient), else a new one. */
  const newNote = useCallback(() => {
    if (draft.load.status === 'unreadable') {
      return;
    }
    setComposing((current) => current ?? kept ?? emptyNoteForm());
  }, [draft.load.status, kept]);
  /** A correction (or "entered in error") of a signed note starts from what the note said. */
  const correct = useCallback(
    (note: Json, kind: 'correction' | 'entered-in-error') => {
      if (kept) {
        setComposing(kept);
        return;
      }
      const form = kind === 'correction' ? noteFormFrom(note) : emptyNoteForm();
      setComposing({
        ...form,
        correction: { kind, target: `Composition/${str(note.id, 64) ?? ''}`, targetTitle: str(note.title, 200) ?? '?', targetDate: str(note.date, 40), reason: '' },
      });
    },
    [kept],
  );
  // Stable, so the editor's memoised parts stand still while the chart around it re-renders.
  const { reload: reloadDraft, forget: forgetDraft } = draft;
  const closeEditor = useCallback(() => {
    setComposing(undefined);
    reloadDraft();
  }, [reloadDraft]);
  const noteSigned = useCallback(
    (saved: { resourceType: string; resourceId: string }, draftGone: Promise<void>) => {
      setComposing(undefined);
      forgetDraft();
      void draftGone.then(reloadDraft);
      setOpenKey(undefined);
      const key = `${saved.resourceType}/${saved.resourceId}`;
      setSignedKey(key);
      // Saved here at this moment: its badge says so until the journal has it, then "synchronised".
      setSeenUnsynced((seen) => new Set([...seen, key]));
    },
    [forgetDraft, reloadDraft],
  );
  const [accessLog, setAccessLog] = useState(false);
  const actions = useMemo<WorkstationAction[]>(
    () => [
      { id: 'note.new', label: t('noteEditor.new'), group: t('palette.groups.note'), hotkey: 'mod+N', inTextFields: true, run: newNote },
      { id: 'access.log', label: t('access.logOpen'), group: t('palette.groups.patient'), run: () => setAccessLog(true) },
    ],
    [t, newNote],
  );
  useRegisterActions('chart', actions);
  const model = useMemo(() => (resources ? shapeChart(resources, new Date()) : undefined), [resources]);
  const byKey = useMemo(() => new Map((resources ?? []).map((r) => [`${String(r.resourceType)}/${String(r.id ?? '')}`, r as Json])), [resources]);

  if (state.status === 'loading') {
    return (
      <Center h="100%" aria-busy="true">
        <Loader size="sm" />
        <span className={classes.visuallyHidden}>{t('patient.loading')}</span>
      </Center>
    );
  }
  if (state.status === 'error' || !model?.patient) {
    return (
      <Alert color="red" m="md" title={t('patient.openFailed')}>
        {state.status === 'error' ? t(`errors.${state.error.code}`) : ''}
      </Alert>
    );
  }
  const access = state.status === 'ok' ? state.chart.access : undefined;
  if (access?.refused) {
    // Refused by the journal: whose record (demographics), why, and self-authorisation; nothing else.
    return (
      <div className={classes.chart} data-testid="chart" data-patient-id={patientId} data-access="refused">
        <PatientBanner patient={model.patient} critical={[]} fromCache={false} onClose={onClose} />
        <RefusedChart patientId={patientId} reason={access.refused} offline={sync?.online === false} />
      </div>
    );
  }
  const opened = openKey ? byKey.get(openKey) : undefined;
  return (
    <div className={classes.chart} data-testid="chart" data-patient-id={patientId}>
      <PatientBanner
        patient={model.patient}
        critical={model.critical}
        fromCache={state.status === 'ok' && state.chart.fromCache}
        onClose={onClose}
        markers={access ? <AccessMarkers access={access} /> : undefined}
      />
      <div className={classes.columns}>
        <Paper component="section" aria-labelledby="journal-heading" withBorder className={classes.centre} data-testid="section-journal">
          <Group justify="space-between" wrap="nowrap" className={classes.centreHeading}>
            <Title order={2} size="h5" id="journal-heading">
              {t('chart.journal')}
            </Title>
            {!composing && (
              <Button size="compact-sm" variant="light" onClick={newNote} data-testid="new-note">
                {kept ? t('noteEditor.continueDraft') : t('noteEditor.new')}
              </Button>
            )}
          </Group>
          <div className={classes.centreBody}>
            {composing ? (
              <Suspense fallback={<Loader size="sm" m="md" />}>
                <NoteEditor patientId={patientId} initial={composing} onClose={closeEditor} onDiscarded={closeEditor} onSigned={noteSigned} />
              </Suspense>
            ) : (
              <>
                <DraftNotice load={draft.load} onContinue={newNote} />
                {opened && obj(opened) ? (
                  <NoteView key={`${openKey}@${str(obj(opened.meta)?.versionId, 64) ?? 'local'}`} resource={opened} syncState={openKey ? syncStates.get(openKey) : undefined} correctedBy={model.timeline.find((item) => item.key === openKey)?.correctedBy} onBack={() => setOpenKey(undefined)} onCorrect={(kind) => correct(opened, kind)} patientId={patientId} onBlocked={() => setOpenKey(undefined)} />
                ) : (
                  <JournalTimeline items={model.timeline} syncStates={syncStates} selectedKey={openKey ?? signedKey} onOpen={(item: TimelineItem) => setOpenKey(item.key)} />
                )}
              </>
            )}
          </div>
        </Paper>
        <div className={classes.context}>
          {contextSections.map(({ id, component: Section }) => (
            <Section key={id} model={model} patientId={patientId} syncStates={syncStates} onSaved={markSaved} />
          ))}
        </div>
      </div>
      <AccessLogDialog patientId={patientId} opened={accessLog} onClose={() => setAccessLog(false)} />
    </div>
  );
}
