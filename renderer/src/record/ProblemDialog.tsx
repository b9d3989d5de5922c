import { Alert, Button, Checkbox, Group, Modal, SimpleGrid, Stack } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProblemItem } from '../chart/shape-chart';
import { CodePicker } from '../notes/CodePicker';
import { codings, concept, str } from '../patient/fhir-read';
import { emptyProblemForm, problemFormFrom, problemResource, today, type ProblemForm } from './record-builders';
import { RecordHistory } from './RecordHistory';
import { isLocalOnly } from './sync-state';
import { useRecordSave } from './useRecordSave';
import { DateField } from './DateField';

/** Adds a problem (ICPC-2, onset), or changes and resolves one (with the date); its versions below. */
export function ProblemDialog({ patientId, item, onClose, onSaved }: { patientId: string; item: ProblemItem | undefined; onClose: () => void; onSaved: (key: string) => void }) {
  const { t } = useTranslation();
  const base = item?.resource;
  // A new item waits for the journal's id before it can be changed (core refuses a change to a local id).
  const localOnly = item !== undefined && isLocalOnly(item);
  const [form, setForm] = useState<ProblemForm>(() => (base ? problemFormFrom(base) : emptyProblemForm()));
  const { save, saving, error } = useRecordSave((key) => {
    onSaved(key);
    onClose();
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void save(() => problemResource(form, patientId, base));
  };
  return (
    <Modal opened onClose={onClose} title={item ? t('record.problemEditHeading') : t('record.problemHeading')} size="lg" closeButtonProps={{ 'aria-label': t('record.closeDialog') }} data-testid="problem-dialog">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="xs">
          {/* One code per problem: a second pick replaces the first. */}
          <CodePicker label={t('record.problemCode')} value={form.code ? [form.code] : []} onChange={(codes) => setForm({ ...form, code: codes[codes.length - 1] ?? '' })} testId="problem-code" autoFocus={!item} />
          <SimpleGrid cols={2} spacing="xs">
            <DateField label={t('record.onset')} value={form.onset} onChange={(onset) => setForm({ ...form, onset })} />
            <div />
            <Checkbox size="xs" mt={4} label={t('record.resolved')} checked={form.resolved} onChange={(event) => setForm({ ...form, resolved: event.currentTarget.checked, abatement: form.abatement || today() })} data-testid="problem-resolved" />
            {form.resolved && <DateField label={t('record.abatement')} value={form.abatement} onChange={(abatement) => setForm({ ...form, abatement })} />}
          </SimpleGrid>
          {localOnly && (
            <Alert color="orange" variant="light" p={6} data-testid="record-local-only">
              {t('record.localOnly')}
            </Alert>
          )}
          {error && (
            <Alert color="red" variant="light" p={6} role="alert" data-testid="record-error">
              {error}
            </Alert>
          )}
          <Group justify="flex-end" gap="xs">
            <Button size="compact-sm" variant="default" onClick={onClose}>
              {t('record.cancel')}
            </Button>
            <Button size="compact-sm" type="submit" loading={saving} disabled={localOnly} data-testid="record-save">
              {t('record.save')}
            </Button>
          </Group>
          {item && !localOnly && (
            <RecordHistory
              resourceType="Condition"
              id={item.id}
              currentVersion={item.versionId}
              describe={(resource) =>
                `${codings(resource.code).map((c) => c.code).find(Boolean) ?? '?'} · ${concept(resource.clinicalStatus).code ?? '?'}${str(resource.abatementDateTime, 40) ? ` · ${str(resource.abatementDateTime, 40)}` : ''}`
              }
            />
          )}
        </Stack>
      </form>
    </Modal>
  );
}
