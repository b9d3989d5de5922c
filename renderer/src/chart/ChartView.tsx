import { Alert, Center, Loader, Paper, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { obj, type Json } from '../patient/fhir-read';
import { JournalTimeline } from './JournalTimeline';
import { NoteView } from './NoteView';
import { PatientBanner } from './PatientBanner';
import { contextSections } from './sections';
import { shapeChart, type TimelineItem } from './shape-chart';
import { useChart } from './useChart';
import classes from './ChartView.module.css';

/**
 * The whole chart at a glance for one patient: the banner on top, the record's timeline (or the
 * note opened from it) in the centre, critical information, problems, medications and lab results
 * as context on the right. Rendered with key={patientId}, so nothing survives a patient switch.
 */
export function ChartView({ patientId, onClose }: { patientId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const state = useChart(patientId);
  const [openKey, setOpenKey] = useState<string | undefined>(undefined);
  const resources = state.status === 'ok' ? state.chart.resources : undefined;
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
  const opened = openKey ? byKey.get(openKey) : undefined;
  return (
    <div className={classes.chart} data-testid="chart" data-patient-id={patientId}>
      <PatientBanner patient={model.patient} critical={model.critical} fromCache={state.status === 'ok' && state.chart.fromCache} onClose={onClose} />
      <div className={classes.columns}>
        <Paper component="section" aria-labelledby="journal-heading" withBorder className={classes.centre} data-testid="section-journal">
          <Title order={2} size="h5" id="journal-heading" className={classes.centreHeading}>
            {t('chart.journal')}
          </Title>
          <div className={classes.centreBody}>
            {opened && obj(opened) ? (
              <NoteView key={openKey} resource={opened} onBack={() => setOpenKey(undefined)} />
            ) : (
              <JournalTimeline items={model.timeline} selectedKey={openKey} onOpen={(item: TimelineItem) => setOpenKey(item.key)} />
            )}
          </div>
        </Paper>
        <div className={classes.context}>
          {contextSections.map(({ id, component: Section }) => (
            <Section key={id} model={model} />
          ))}
        </div>
      </div>
    </div>
  );
}
