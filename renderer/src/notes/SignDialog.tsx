import { Alert, Button, Group, Modal, PasswordInput, Stack, Text } from '@mantine/core';
import { memo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ContractError, type CallInput, type CallOutput } from '../../../shared/contract';
import { useContract } from '../contract/hooks';
import type { Json } from '../patient/fhir-read';

type SignFailure = { code: Extract<CallOutput<'journal.signNote'>, { ok: false }>['code'] } | ContractError;

/**
 * The PIN for this one signature: the card asks for it for every note, also when the session is
 * logged in. Tries left and a locked card are said as at login; the PIN is cleared whatever the answer.
 * Memoised: the note editor re-renders on a code, contact type or autosave change; the closed dialog need not.
 */
export const SignDialog = memo(function SignDialog({
  composition,
  onSigned,
  onClose,
}: {
  composition: Json | undefined;
  onSigned: (saved: Extract<CallOutput<'journal.signNote'>, { ok: true }>['saved']) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const client = useContract();
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<SignFailure | undefined>(undefined);

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    if (!composition || busy) {
      return;
    }
    setBusy(true);
    const entered = pin;
    setPin('');
    client
      .call('journal.signNote', { composition: composition as CallInput<'journal.signNote'>['composition'], pin: entered })
      .then(
        (result) => {
          if (result.ok) {
            setFailure(undefined);
            onSigned(result.saved);
          } else {
            setFailure({ code: result.code });
          }
        },
        (error: unknown) => setFailure(error instanceof ContractError ? error : new ContractError('INTERNAL', 'unexpected')),
      )
      .finally(() => setBusy(false));
  };

  return (
    <Modal closeButtonProps={{ 'aria-label': t('sign.cancel') }} opened={composition !== undefined} onClose={onClose} title={t('sign.heading')} size="sm" data-testid="sign-dialog">
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Text size="sm">{t('sign.explain')}</Text>
          <PasswordInput
            label={t('sign.pin')}
            value={pin}
            onChange={(event) => setPin(event.currentTarget.value.replace(/\D/g, '').slice(0, 12))}
            inputMode="numeric"
            autoComplete="off"
            data-autofocus
            required
            minLength={4}
            maxLength={12}
          />
          {failure && (
            <Alert color="red" variant="light" role="alert" data-error-code={failure.code}>
              {failure instanceof ContractError ? t(`errors.${failure.code}`) : t(`session.failure.${failure.code}`)}
              {failure instanceof ContractError && failure.message && (
                <Text size="xs" mt={4}>
                  {failure.message}
                </Text>
              )}
            </Alert>
          )}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={onClose} disabled={busy}>
              {t('sign.cancel')}
            </Button>
            <Button type="submit" loading={busy} disabled={pin.length < 4}>
              {t('sign.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
});
