import { Alert, Button, Group, Modal, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ContractError } from '../../../shared/contract';
import { useContract } from '../contract/hooks';

/**
 * A block (sperring) of this document at the patient's request: recorded in the journal with the
 * request in the clinician's words; from then on only its author sees it. Online only.
 */
export function BlockButton({ patientId, document, onBlocked }: { patientId: string; document: string; onBlocked: () => void }) {
  const { t } = useTranslation();
  const client = useContract();
  const [open, setOpen] = useState(false);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const submit = (): void => {
    if (note.trim() === '') {
      setError(t('access.blockNeedNote'));
      return;
    }
    setBusy(true);
    client
      .call('access.recordBlock', { patientId, document, note: note.trim() })
      .then(
        () => {
          setOpen(false);
          onBlocked();
        },
        (failure: unknown) => setError(failure instanceof ContractError ? failure.message || t(`errors.${failure.code}`) : t('errors.INTERNAL')),
      )
      .finally(() => setBusy(false));
  };
  return (
    <>
      <Button size="compact-sm" variant="subtle" color="gray" onClick={() => setOpen(true)} data-testid="block-document">
        {t('access.block')}
      </Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={t('access.blockTitle')} closeButtonProps={{ 'aria-label': t('sign.cancel') }}>
        <Stack gap="sm">
          <Text size="sm">{t('access.blockExplain')}</Text>
          <Textarea label={t('access.blockNote')} value={note} onChange={(event) => setNote(event.currentTarget.value)} maxLength={500} autosize minRows={2} required data-autofocus />
          {error && (
            <Alert color="red" variant="light" role="alert" p="xs">
              {error}
            </Alert>
          )}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => setOpen(false)} disabled={busy}>
              {t('sign.cancel')}
            </Button>
            <Button color="red" onClick={submit} loading={busy} data-testid="block-submit">
              {t('access.blockSubmit')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
