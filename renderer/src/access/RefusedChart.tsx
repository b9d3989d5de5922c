import { Alert, Button, Group, Modal, Select, Stack, Text, Textarea } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ContractError, MAX_SELF_AUTHORISATION_TEXT, selfAuthorisationReasons } from '../../../shared/contract';
import { useContract } from '../contract/hooks';
import { AccessLogDialog } from './AccessLogDialog';

type Reason = (typeof selfAuthorisationReasons)[number];

/**
 * The journal refused the record: why (its own words), and self-authorisation with a reason and
 * the clinician's own words, for a stated time, reviewed by the privacy officer. Offline the
 * journal can not grant it, and the screen says so instead of offering it.
 */
export function RefusedChart({ patientId, reason, offline }: { patientId: string; reason: string; offline: boolean }) {
  const { t } = useTranslation();
  const client = useContract();
  const [asking, setAsking] = useState(false);
  const [code, setCode] = useState<Reason | null>(null);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  const [log, setLog] = useState(false);
  const submit = (): void => {
    if (!code || text.trim() === '') {
      setError(t('access.needReason'));
      return;
    }
    setBusy(true);
    setError(undefined);
    client.call('access.selfAuthorise', { patientId, reason: code, text: text.trim() }).then(
      () => setAsking(false),
      (failure: unknown) => setError(failure instanceof ContractError ? failure.message || t(`errors.${failure.code}`) : t('errors.INTERNAL')),
    ).finally(() => setBusy(false));
  };
  return (
    <Stack gap="sm" p="md" maw={760} data-testid="chart-refused">
      <Alert color="red" variant="light" title={t('access.refusedTitle')}>
        <Text size="sm">{reason}</Text>
      </Alert>
      {offline ? (
        <Alert color="yellow" variant="light">
          <Text size="sm" c="dark">
            {t('access.offline')}
          </Text>
        </Alert>
      ) : (
        <Group>
          <Button color="grape" onClick={() => setAsking(true)} data-testid="self-authorise">
            {t('access.selfAuthorise')}
          </Button>
          <Text size="xs" c="dimmed" maw={420}>
            {t('access.selfAuthoriseHint')}
          </Text>
        </Group>
      )}
      <Group>
        <Button variant="default" size="compact-sm" onClick={() => setLog(true)} data-testid="open-access-log">
          {t('access.logOpen')}
        </Button>
      </Group>
      <AccessLogDialog patientId={patientId} opened={log} onClose={() => setLog(false)} />
      <Modal opened={asking} onClose={() => setAsking(false)} title={t('access.dialogTitle')} closeButtonProps={{ 'aria-label': t('sign.cancel') }}>
        <Stack gap="sm">
          <Text size="sm">{t('access.dialogExplain')}</Text>
          <Select
            label={t('access.reason')}
            data={selfAuthorisationReasons.map((value) => ({ value, label: t(`access.reasons.${value}`) }))}
            value={code}
            onChange={(value) => setCode((selfAuthorisationReasons as readonly string[]).includes(value ?? '') ? (value) : null)}
            required
            data-autofocus
            allowDeselect={false}
          />
          <Textarea
            label={t('access.text')}
            description={t('access.textHint', { max: MAX_SELF_AUTHORISATION_TEXT })}
            value={text}
            onChange={(event) => setText(event.currentTarget.value)}
            maxLength={MAX_SELF_AUTHORISATION_TEXT}
            autosize
            minRows={2}
            required
          />
          {error && (
            <Alert color="red" variant="light" role="alert" p="xs">
              {error}
            </Alert>
          )}
          <Group justify="flex-end" gap="xs">
            <Button variant="default" onClick={() => setAsking(false)} disabled={busy}>
              {t('sign.cancel')}
            </Button>
            <Button color="grape" onClick={submit} loading={busy} data-testid="self-authorise-submit">
              {t('access.grant')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
