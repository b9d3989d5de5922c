import { Badge, Group, Stack, Text, UnstyledButton } from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import type { CallOutput } from '../../../shared/contract';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../chart/format';
import { useLocale } from '../chart/useLocale';
import { useContract } from '../contract/hooks';
import { noteDraftKey } from '../notes/note-form';
import type { Json } from '../patient/fhir-read';
import { summarisePatient } from '../patient/patient-summary';
import { usePatientContext } from '../shell/patient-context';
import classes from './UnsignedDrafts.module.css';

/** The drafts kept, asked again whenever the open patient changes. */
const useDraftList = (patientId: string | undefined): CallOutput<'draft.list'> => {
  const client = useContract();
  const [drafts, setDrafts] = useState<CallOutput<'draft.list'>>([]);
  useEffect(() => {
    let current = true;
    client.call('draft.list', {}).then(
      (value) => current && setDrafts(value),
      () => undefined,
    );
    return () => {
      current = false;
    };
  }, [client, patientId]);
  return drafts;
};

/**
 * Notes written and not signed, above the worklist: a draft must not be forgotten. Asked again
 * whenever the open patient changes (that is when a note is left unsigned or signed).
 */
export function UnsignedDrafts() {
  const { t } = useTranslation();
  const locale = useLocale();
  const { patientId, open } = usePatientContext();
  const drafts = useDraftList(patientId);
  const rows = useMemo(() => {
    const now = new Date();
    return drafts
      .filter((d) => d.patientId !== null && d.key === noteDraftKey(d.patientId))
      .map((d) => ({ patientId: d.patientId ?? '', updatedAt: d.updatedAt, name: d.patient ? summarisePatient(d.patient as Json, now).sortName : t('worklist.unknownPatient') }));
  }, [drafts, t]);
  if (rows.length === 0) {
    return null;
  }
  return (
    <Stack gap={0} className={classes.drafts} data-testid="unsigned-drafts">
      <Group justify="space-between" px="sm" py={4}>
        <Text size="xs" fw={700} id="unsigned-drafts-heading">
          {t('worklist.unsignedDrafts')}
        </Text>
        <Badge size="xs" color="yellow" variant="filled" c="dark">
          {rows.length}
        </Badge>
      </Group>
      <ul aria-labelledby="unsigned-drafts-heading" className={classes.list}>
        {rows.map((row) => (
          <li key={row.patientId}>
            <UnstyledButton className={classes.row} onClick={() => open(row.patientId)} data-selected={row.patientId === patientId || undefined}>
              <Text size="sm" truncate>
                {row.name}
              </Text>
              <Text size="xs" c="dimmed">
                {formatDate(row.updatedAt, locale)}
              </Text>
            </UnstyledButton>
          </li>
        ))}
      </ul>
    </Stack>
  );
}
