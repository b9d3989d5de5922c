import { Group, Paper, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import classes from './DemoBanner.module.css';

/**
 * The amber DEMO strip (UX.md) over every screen with patient data while the journal is the
 * embedded demo journal (`demoJournal` in the session status, from core): synthetic patients only.
 */
export function DemoBanner({ demoJournal, className }: { demoJournal: boolean; className?: string }) {
  const { t } = useTranslation();
  if (!demoJournal) {
    return null;
  }
  return (
    <Paper radius={0} px="md" py={6} role="note" aria-label={t('demo.label')} className={[classes.banner, className].filter(Boolean).join(' ')} data-testid="demo-banner">
      <Group gap="xs" wrap="wrap">
        <Text size="sm" fw={800} className={classes.word}>
          {t('demo.title')}
        </Text>
        <Text size="sm">{t('demo.meaning')}</Text>
      </Group>
    </Paper>
  );
}
