import { Alert, Badge, Button, Group, Loader, Paper, ScrollArea, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SignatureCheck } from '../../../shared/contract';
import { useCall } from '../contract/hooks';
import { obj, str, type Json } from '../patient/fhir-read';
import { BlockButton } from '../access/BlockDialog';
import { correctionOf } from '../patient/journal-note-codes';
import { formatDate } from './format';
import { SyncBadge, type SyncState } from './JournalTimeline';
import type { TimelineItem } from './shape-chart';
import { noteDetails } from './shape-note';
import { useLocale } from './useLocale';
import classes from './NoteView.module.css';

const signatureColor: Record<SignatureCheck['status'], string> = { verified: 'teal', invalid: 'red', unsigned: 'gray', unverifiable: 'yellow' };

function SignatureStatus({ resourceType, id }: { resourceType: string; id: string }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const check = useCall('chart.verifySignature', { resourceType, id });
  if (check.status === 'loading') {
    return (
      <Text size="xs" c="dimmed">
        {t('note.signatureChecking')}
      </Text>
    );
  }
  if (check.status === 'error') {
    return (
      <Text size="xs" c="red.9">
        {t(`errors.${check.error.code}`)}
      </Text>
    );
  }
  const { status, signer, signedAt, code } = check.value;
  return (
    <Alert color={signatureColor[status]} variant={status === 'invalid' ? 'filled' : 'light'} p={6} data-testid="signature-status" data-status={status}>
      <Text size="sm">
        {code === 'NOT_IN_JOURNAL_YET' ? t('note.signaturePending') : t(`note.signatureStatus.${status}`, { name: signer?.name ?? '?', time: formatDate(signedAt ?? undefined, locale), code: code ?? '' })}
        {signer?.organisation && ` · ${signer.organisation}`}
        {signer?.test && ` (${t('note.testSigner')})`}
      </Text>
    </Alert>
  );
}

/** The note, encounter or document open in the centre: its text, author, signature and every version. */
export function NoteView({
  resource,
  onBack,
  syncState,
  correctedBy,
  onBlocked,
  patientId,
  onCorrect,
}: {
  resource: Json;
  onBack: () => void;
  syncState?: SyncState;
  correctedBy?: TimelineItem['correctedBy'];
  /** Offered for a signed note: a correction, or marking it as entered in error, both new signed notes. */
  onCorrect?: (kind: 'correction' | 'entered-in-error') => void;
  /** Offered for a document in the journal: a block at the patient's request (the view closes after). */
  onBlocked?: () => void;
  patientId?: string;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const resourceType = str(resource.resourceType, 64) ?? '';
  const id = str(resource.id, 64) ?? '';
  const history = useCall('chart.history', { resourceType, id });
  const [versionId, setVersionId] = useState<string | undefined>(undefined);
  const shown = useMemo(() => {
    const version = versionId && history.status === 'ok' ? history.value.versions.find((v) => v.versionId === versionId) : undefined;
    return version ? version.resource : resource;
  }, [history, versionId, resource]);
  const details = noteDetails(shown);
  const currentVersion = str(obj(resource.meta)?.versionId, 64) ?? '';
  const signable = resourceType === 'Composition' || resourceType === 'DocumentReference';
  const correction = resourceType === 'Composition' ? correctionOf(resource) : undefined;
  const correctable = onCorrect && resourceType === 'Composition' && details.status === 'final';
  return (
    <Stack gap="sm" className={classes.view} data-testid="note-view">
      <Group justify="space-between" wrap="nowrap">
        <Button variant="subtle" size="compact-sm" onClick={onBack}>
          ← {t('note.back')}
        </Button>
        <Group gap={6} wrap="nowrap">
          <SyncBadge state={syncState} />
          {details.status && (
            <Badge variant="light" color={details.status === 'entered-in-error' ? 'red' : details.status === 'final' ? 'teal' : 'gray'}>
              {t(`note.status.${details.status}`, { defaultValue: details.status })}
            </Badge>
          )}
        </Group>
      </Group>
      {correctedBy && (
        <Alert color="red" variant="light" p={6} data-testid="corrected-notice">
          <Text size="sm">{t(`note.correctedBy.${correctedBy.kind}`, { name: correctedBy.author ?? '?', time: formatDate(correctedBy.date, locale) })}</Text>
        </Alert>
      )}
      {correction && (
        <Alert color="gray" variant="light" p={6} data-testid="correction-reason">
          <Text size="sm">{t(`note.correctionReason.${correction.kind}`, { reason: correction.reason })}</Text>
        </Alert>
      )}
      <div>
        <Title order={2} size="h4" id="note-title">
          {details.title}
        </Title>
        <Text size="sm" c="dimmed">
          {[formatDate(details.date, locale), details.authors.join(', ') || undefined, details.custodian].filter(Boolean).join(' · ')}
        </Text>
      </div>
      {signable && <SignatureStatus resourceType={resourceType} id={id} />}
      {(correctable || (patientId && onBlocked && signable)) && (
        <Group gap="xs">
          {patientId && onBlocked && signable && syncState === undefined && <BlockButton patientId={patientId} document={`${resourceType}/${id}`} onBlocked={onBlocked} />}
          {correctable && (
            <Button size="compact-sm" variant="default" onClick={() => onCorrect('correction')} data-testid="correct-note">
              {t('note.correct')}
            </Button>
          )}
          {correctable && (
            <Button size="compact-sm" variant="subtle" color="red" onClick={() => onCorrect('entered-in-error')}>
              {t('note.enteredInError')}
            </Button>
          )}
        </Group>
      )}
      <ScrollArea.Autosize mah="100%" type="auto" scrollbars="y" className={classes.body}>
        <article aria-labelledby="note-title">
          {details.sections.map((section, index) => (
            <section key={`${section.title}-${index}`} className={classes.section}>
              {section.title && (
                <Title order={3} size="h6" className={classes.sectionTitle}>
                  {section.title}
                </Title>
              )}
              {section.paragraphs.map((paragraph, p) => (
                <Text key={p} size="sm" className={classes.paragraph}>
                  {paragraph}
                </Text>
              ))}
            </section>
          ))}
        </article>
        <Paper withBorder p="xs" mt="md" component="section" aria-labelledby="history-heading">
          <Title order={3} size="h6" id="history-heading" mb={4}>
            {t('note.history')}
          </Title>
          {history.status === 'loading' && <Loader size="xs" />}
          {history.status === 'error' && (
            <Text size="xs" c="red.9">
              {t(`errors.${history.error.code}`)}
            </Text>
          )}
          {history.status === 'ok' && (
            <Stack gap={2} data-testid="version-history">
              {history.value.source === 'cache' && (
                <Text size="xs" c="red.9">
                  {t('note.historyOffline')}
                </Text>
              )}
              {history.value.versions.map((version) => (
                <UnstyledButton
                  key={version.versionId}
                  className={classes.version}
                  data-selected={(versionId ?? currentVersion) === version.versionId || undefined}
                  onClick={() => setVersionId(version.versionId)}
                  data-testid="history-version"
                >
                  <Text size="xs">
                    <strong>{t('note.version', { version: version.versionId })}</strong>
                    {version.versionId === currentVersion && ` (${t('note.current')})`} · {t('note.changedAt', { time: formatDate(version.lastUpdated ?? undefined, locale) })}
                  </Text>
                </UnstyledButton>
              ))}
            </Stack>
          )}
        </Paper>
      </ScrollArea.Autosize>
    </Stack>
  );
}
