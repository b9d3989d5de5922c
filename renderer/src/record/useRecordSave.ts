import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ContractError, type CallInput } from '../../../shared/contract';
import { useContract } from '../contract/hooks';
import type { Json } from '../patient/fhir-read';
import { RecordBuildError } from './record-builders';

/**
 * Builds and saves one resource with `journal.save`: the build's refusal or core's answer as a
 * message in the clinician's words, the saved item's key on success.
 */
export const useRecordSave = (onSaved: (key: string) => void) => {
  const client = useContract();
  const { t } = useTranslation();
  const [error, setError] = useState<string | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const save = useCallback(
    async (build: () => Json): Promise<void> => {
      let resource: Json;
      try {
        resource = build();
      } catch (failure) {
        setError(failure instanceof RecordBuildError ? t(`record.errors.${failure.code}`) : t('errors.INTERNAL'));
        return;
      }
      setError(undefined);
      setSaving(true);
      try {
        const saved = await client.call('journal.save', { resource: resource as CallInput<'journal.save'>['resource'] });
        setSaving(false);
        onSaved(`${saved.resourceType}/${saved.resourceId}`);
      } catch (failure) {
        setSaving(false);
        const reason = failure instanceof ContractError ? t(`errors.${failure.code}`) : t('errors.INTERNAL');
        setError(t('record.errors.saveFailed', { reason }));
      }
    },
    [client, onSaved, t],
  );
  return { save, saving, error, clearError: () => setError(undefined) };
};
