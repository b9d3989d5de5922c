import { Alert, Badge, Button, Card, Group, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ContractError, type LoginFailureCode, type SessionStatus } from '../../../shared/contract';
import { ContractErrorAlert } from '../app/ContractErrorAlert';
import { useContract } from '../contract/hooks';

/** Shown beside anything the TEST card touches, so nobody mistakes the demo for a real login. */
export function TestCardBadge() {
  const { t } = useTranslation();
  return (
    <Badge color="red" variant="filled" data-testid="test-card-badge" title={t('session.testCardHint')}>
      {t('session.testCard')}
    </Badge>
  );
}

/** The session's latest state: asked once, then kept current by `session.changed` and a slow poll for card insertion. */
export const useSessionStatus = (): { status: SessionStatus | undefined; error: ContractError | undefined; set: (s: SessionStatus) => void } => {
  const client = useContract();
  const [status, setStatus] = useState<SessionStatus | undefined>(undefined);
  const [error, setError] = useState<ContractError | undefined>(undefined);
  useEffect(() => {
    let current = true;
    const ask = (): void => {
      client.call('session.status', {}).then(
        (value) => {
          if (current) {
            setStatus(value);
            setError(undefined);
          }
        },
        (failure: unknown) => current && setError(failure instanceof ContractError ? failure : new ContractError('INTERNAL', 'unexpected')),
      );
    };
    ask();
    const off = client.on('session.changed', setStatus);
    // Core pushes logins and locks; a card put into the reader is noticed by asking now and then.
    const poll = setInterval(ask, 3_000);
    return () => {
      current = false;
      off();
      clearInterval(poll);
    };
  }, [client]);
  return { status, error, set: setStatus };
};

/**
 * Card login: the card in the reader (marked TEST for the demo card), the PIN field, and who is
 * logged in. The PIN goes to core in the one `session.login` call and is cleared from the field
 * at once, whatever the answer.
 */
export function SessionCard({ session }: { session: ReturnType<typeof useSessionStatus> }) {
  const { t } = useTranslation();
  const client = useContract();
  const { status, error, set } = session;
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<{ code: LoginFailureCode; detail?: string } | ContractError | undefined>(undefined);

  const submit = useCallback(
    (event: FormEvent) => {
      event.preventDefault();
      const entered = pin;
      setPin('');
      setBusy(true);
      setFailure(undefined);
      client
        .call('session.login', { pin: entered })
        .then(
          (answer) => {
            set(answer.status);
            if (!answer.ok) {
              setFailure({ code: answer.code, ...(answer.detail ? { detail: answer.detail } : {}) });
            }
          },
          (failed: unknown) => setFailure(failed instanceof ContractError ? failed : new ContractError('INTERNAL', 'unexpected')),
        )
        .finally(() => setBusy(false));
    },
    [client, pin, set],
  );

  const lock = (): void => {
    client.call('session.lock', {}).then(set, (failed: unknown) => setFailure(failed instanceof ContractError ? failed : new ContractError('INTERNAL', 'unexpected')));
  };

  return (
    <Card withBorder padding="md" aria-labelledby="session-heading" data-testid="session-card" data-state={status?.state ?? 'loading'}>
      <Group justify="space-between" mb="xs">
        <Title order={2} size="h4" id="session-heading">
          {t('session.heading')}
        </Title>
        {status?.card?.isTest && <TestCardBadge />}
      </Group>
      {error && <ContractErrorAlert error={error} />}
      {status?.state === 'no-card' && <Text size="sm">{status.journalUrl ? t('session.insertCard') : t('session.noJournal')}</Text>}
      {status?.state === 'active' && (
        <Stack gap="xs">
          <Text size="sm" data-testid="session-clinician">
            {t('session.loggedInAs', { name: status.clinician?.name ?? '', hpr: status.clinician?.hpr ?? '' })}
          </Text>
          <Text size="xs" c="dimmed">
            {t('session.card', { label: status.card?.label ?? '' })}
          </Text>
          {status.offline && (
            <Alert color="orange" variant="light" data-testid="session-offline">
              {t('session.offline')}
            </Alert>
          )}
          <Group>
            <Button variant="default" onClick={lock}>
              {t('session.lock')}
            </Button>
          </Group>
        </Stack>
      )}
      {(status?.state === 'logged-out' || status?.state === 'locked') && (
        <form onSubmit={submit} aria-describedby="session-hint">
          <Stack gap="xs">
            <Text size="sm" id="session-hint">
              {status.state === 'locked' ? t('session.locked') : t('session.enterPin', { label: status.card?.label ?? '' })}
            </Text>
            <PasswordInput
              label={t('session.pin')}
              value={pin}
              onChange={(event) => setPin(event.currentTarget.value.replace(/\D/g, '').slice(0, 12))}
              inputMode="numeric"
              autoComplete="off"
              maxLength={12}
              data-autofocus
              disabled={busy}
            />
            {failure instanceof ContractError ? (
              <ContractErrorAlert error={failure} />
            ) : (
              failure && (
                <Alert color="red" variant="light" role="alert" data-error-code={failure.code}>
                  {t(`session.failure.${failure.code}`)}
                  {failure.detail && (
                    <Text size="xs" c="dimmed" mt={4}>
                      {failure.detail}
                    </Text>
                  )}
                </Alert>
              )
            )}
            <Group>
              <Button type="submit" loading={busy} disabled={pin.length < 4}>
                {t('session.login')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Card>
  );
}
