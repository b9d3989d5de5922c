import { Alert, Button, Group, Modal, NativeSelect, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CriticalItem } from '../chart/shape-chart';
import { concept, str } from '../patient/fhir-read';
import {
  allergyCategories,
  allergyFormFrom,
  allergyResource,
  criticalities,
  emptyAllergyForm,
  emptyFlagForm,
  flagFormFrom,
  flagResource,
  severities,
  verifications,
  type AllergyForm,
  type FlagForm,
} from './record-builders';
import { RecordHistory } from './RecordHistory';
import { isLocalOnly } from './sync-state';
import { useRecordSave } from './useRecordSave';
import { DateField } from './DateField';

type Kind = 'allergy' | 'intolerance' | 'flag';

/**
 * Adds or changes an allergy, an intolerance or other critical information (a Flag), and marks one
 * inactive; saved with journal.save (a change as the version edited). The item's versions below.
 */
export function CriticalInfoDialog({ patientId, item, onClose, onSaved }: { patientId: string; item: CriticalItem | undefined; onClose: () => void; onSaved: (key: string) => void }) {
  const { t } = useTranslation();
  const base = item?.resource;
  // A new item waits for the journal's id before it can be changed (core refuses a change to a local id).
  const localOnly = item !== undefined && isLocalOnly(item);
  const [kind, setKind] = useState<Kind>(item?.kind ?? 'allergy');
  const [allergy, setAllergy] = useState<AllergyForm>(() => (base && item?.kind !== 'flag' ? allergyFormFrom(base) : emptyAllergyForm()));
  const [flag, setFlag] = useState<FlagForm>(() => (base && item?.kind === 'flag' ? flagFormFrom(base) : emptyFlagForm()));
  const { save, saving, error } = useRecordSave((key) => {
    onSaved(key);
    onClose();
  });
  const submit = (active: boolean) =>
    save(() =>
      kind === 'flag'
        ? flagResource({ ...flag, active }, patientId, new Date(), base)
        : allergyResource({ ...allergy, type: kind, active }, patientId, base),
    );
  // Save keeps the item's status; the status button changes it (inactive, or active again).
  const active = kind === 'flag' ? flag.active : allergy.active;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void submit(active);
  };
  const set = <K extends keyof AllergyForm>(field: K, value: AllergyForm[K]) => setAllergy((current) => ({ ...current, [field]: value }));
  const kinds: Kind[] = item === undefined ? ['allergy', 'intolerance', 'flag'] : item.kind === 'flag' ? ['flag'] : ['allergy', 'intolerance'];
  return (
    <Modal
      opened
      onClose={onClose}
      title={item ? t('record.allergyEditHeading') : t('record.allergyHeading')}
      size="lg"
      closeButtonProps={{ 'aria-label': t('record.closeDialog') }}
      data-testid="critical-dialog"
    >
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="xs">
          <NativeSelect
            size="xs"
            label={t('record.kind')}
            value={kind}
            disabled={kinds.length === 1}
            onChange={(event) => setKind(event.currentTarget.value as Kind)}
            data={kinds.map((value) => ({ value, label: t(`record.kinds.${value}`) }))}
          />
          {kind === 'flag' ? (
            <>
              <TextInput size="xs" label={t('record.flagText')} placeholder={t('record.flagPlaceholder')} required data-autofocus value={flag.text} onChange={(event) => setFlag({ ...flag, text: event.currentTarget.value })} />
              <SimpleGrid cols={2} spacing="xs">
                <NativeSelect
                  size="xs"
                  label={t('record.flagCategory')}
                  value={flag.category}
                  onChange={(event) => setFlag({ ...flag, category: event.currentTarget.value === 'drug' ? 'drug' : 'clinical' })}
                  data={(['clinical', 'drug'] as const).map((value) => ({ value, label: t(`record.flagCategories.${value}`) }))}
                />
                <DateField label={t('record.flagStart')} value={flag.start} onChange={(start) => setFlag({ ...flag, start })} />
              </SimpleGrid>
            </>
          ) : (
            <>
              <SimpleGrid cols={2} spacing="xs">
                <TextInput size="xs" label={t('record.substance')} placeholder={t('record.substancePlaceholder')} required data-autofocus value={allergy.substance} onChange={(event) => set('substance', event.currentTarget.value)} />
                <TextInput size="xs" label={t('record.reaction')} placeholder={t('record.reactionPlaceholder')} value={allergy.reaction} onChange={(event) => set('reaction', event.currentTarget.value)} />
                <NativeSelect
                  size="xs"
                  label={t('record.severity')}
                  value={allergy.severity}
                  onChange={(event) => set('severity', event.currentTarget.value as AllergyForm['severity'])}
                  data={severities.map((value) => ({ value, label: t(`record.severities.${value || 'none'}`) }))}
                />
                <NativeSelect
                  size="xs"
                  label={t('record.verification')}
                  value={allergy.verification}
                  onChange={(event) => set('verification', event.currentTarget.value as AllergyForm['verification'])}
                  data={verifications.map((value) => ({ value, label: t(`record.verifications.${value}`) }))}
                />
                <NativeSelect
                  size="xs"
                  label={t('record.criticality')}
                  value={allergy.criticality}
                  onChange={(event) => set('criticality', event.currentTarget.value as AllergyForm['criticality'])}
                  data={criticalities.map((value) => ({ value, label: t(`record.criticalities.${value}`) }))}
                />
                <NativeSelect
                  size="xs"
                  label={t('record.category')}
                  value={allergy.category}
                  onChange={(event) => set('category', event.currentTarget.value as AllergyForm['category'])}
                  data={allergyCategories.map((value) => ({ value, label: t(`record.categories.${value}`) }))}
                />
                <DateField label={t('record.recordedDate')} value={allergy.recordedDate} onChange={(recordedDate) => set('recordedDate', recordedDate)} />
              </SimpleGrid>
            </>
          )}
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
          <Group justify="space-between" gap="xs">
            <div>
              {item && (
                <Button size="compact-sm" variant="subtle" color="red" onClick={() => void submit(!active)} disabled={saving || localOnly} data-testid={active ? 'mark-inactive' : 'mark-active'}>
                  {active ? t('record.markInactive') : t('record.markActive')}
                </Button>
              )}
            </div>
            <Group gap="xs">
              <Button size="compact-sm" variant="default" onClick={onClose}>
                {t('record.cancel')}
              </Button>
              <Button size="compact-sm" type="submit" loading={saving} disabled={localOnly} data-testid="record-save">
                {t('record.save')}
              </Button>
            </Group>
          </Group>
          {item && !localOnly && (
            <RecordHistory
              resourceType={item.key.split('/')[0] ?? ''}
              id={item.id}
              currentVersion={item.versionId}
              describe={(resource) =>
                resource.resourceType === 'Flag'
                  ? `${concept(resource.code).text ?? '?'} · ${str(resource.status, 30) ?? '?'}`
                  : `${concept(resource.code).text ?? '?'} · ${concept(resource.clinicalStatus).code ?? '?'} · ${concept(resource.verificationStatus).code ?? '?'}`
              }
            />
          )}
        </Stack>
      </form>
    </Modal>
  );
}
