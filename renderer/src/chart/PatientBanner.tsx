import { ActionIcon, Badge, Group, List, Popover, Text, Title, Tooltip } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { PatientSummary } from '../patient/patient-summary';
import { formatDate } from './format';
import type { CriticalItem } from './shape-chart';
import { useLocale } from './useLocale';
import classes from './PatientBanner.module.css';

/**
 * Always on top in a patient context: who this is, in full, so it can be checked against the
 * person in the room; and what must never be missed (CAVE in red, deceased, test data).
 */
export function PatientBanner({
  patient,
  critical,
  fromCache,
  onClose,
  markers,
}: {
  patient: PatientSummary;
  critical: CriticalItem[];
  fromCache: boolean;
  onClose: () => void;
  /** Markers other features add (an active self-authorisation, blocked information). */
  markers?: ReactNode;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  const cave = critical.filter((item) => item.critical);
  return (
    <section aria-label={t('patient.banner')} className={classes.banner} data-testid="patient-banner" data-patient-id={patient.id}>
      <Group justify="space-between" wrap="nowrap" align="flex-start" gap="md">
        <div style={{ minWidth: 0 }}>
          <Group gap="sm" align="baseline" wrap="wrap">
            <Title order={2} size="h3" className={classes.name} data-testid="banner-name">
              {patient.fullName || '–'}
            </Title>
            <Text size="lg" ff="monospace" fw={600} data-testid="banner-national-id" aria-label={t(`patient.nationalIdKind.${patient.nationalId?.kind ?? 'other'}`)}>
              {patient.nationalId?.formatted ?? t('patient.noNationalId')}
            </Text>
            <Text size="sm">
              {[patient.age === undefined ? undefined : t('patient.age', { age: patient.age }), t(`patient.sex.${patient.sex}`), patient.birthDate ? t('patient.born', { date: formatDate(patient.birthDate, locale) }) : undefined]
                .filter(Boolean)
                .join(' · ')}
            </Text>
          </Group>
          <Group gap="xs" mt={4} wrap="wrap">
            <Text size="sm" c="dimmed">
              {t('patient.gp')}: <Text span c="dark" size="sm">{patient.gp.display ?? t('patient.unknownGp')}</Text>
              {patient.office.display && (
                <>
                  {' · '}
                  {t('patient.office')}: <Text span c="dark" size="sm">{patient.office.display}</Text>
                </>
              )}
            </Text>
            {cave.length > 0 && (
              <Popover width={360} position="bottom-start" shadow="md" withArrow>
                <Popover.Target>
                  <Badge component="button" color="red" variant="filled" size="lg" className={classes.cave} data-testid="banner-cave">
                    {cave.length === 1 ? t('patient.caveCount', { count: 1, text: cave[0]?.text ?? '' }) : t('patient.caveCount', { count: cave.length })}
                  </Badge>
                </Popover.Target>
                <Popover.Dropdown>
                  <Text fw={700} c="red.8" size="sm" mb={4}>
                    {t('chart.critical')}
                  </Text>
                  <List size="sm" spacing={4}>
                    {cave.map((item) => (
                      <List.Item key={item.id}>
                        <Text span fw={600} size="sm">
                          {item.text}
                        </Text>
                        {item.reaction && <Text span size="sm">{`: ${item.reaction}`}</Text>}
                        <Text size="xs" c="dimmed">
                          {[t(`chart.${item.kind}`), item.severity ? t(`chart.severity.${item.severity}`) : undefined, item.date ? formatDate(item.date, locale) : undefined].filter(Boolean).join(' · ')}
                        </Text>
                      </List.Item>
                    ))}
                  </List>
                </Popover.Dropdown>
              </Popover>
            )}
            {patient.deceased && (
              <Badge color="dark" variant="filled" size="lg">
                {patient.deceased.date ? t('patient.deceasedOn', { date: formatDate(patient.deceased.date, locale) }) : t('patient.deceased')}
              </Badge>
            )}
            {patient.isTestData && (
              <Tooltip label={t('patient.testDataHint')}>
                <Badge color="yellow" variant="filled" size="lg" c="dark" data-testid="banner-test-data">
                  {t('patient.testData')}
                </Badge>
              </Tooltip>
            )}
            {fromCache && (
              <Badge color="gray" variant="light" size="sm">
                {t('patient.fromCache')}
              </Badge>
            )}
            {markers}
          </Group>
        </div>
        <Tooltip label={t('patient.close')}>
          <ActionIcon variant="subtle" color="gray" size="lg" aria-label={t('patient.close')} onClick={onClose} data-testid="close-patient">
            ✕
          </ActionIcon>
        </Tooltip>
      </Group>
    </section>
  );
}
