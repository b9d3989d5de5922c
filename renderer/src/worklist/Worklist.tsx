import { Alert, Group, Loader, Stack, Tabs, Text } from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WorklistName } from '../../../shared/contract';
import { isLanguage, localeOf } from '../i18n/i18n';
import { usePatientContext } from '../shell/patient-context';
import { useWorklist } from './useWorklist';
import { worklistItems } from './worklist-rows';
import { UnsignedDrafts } from './UnsignedDrafts';
import { WorklistList } from './WorklistList';
import classes from './Worklist.module.css';
import { dateTimeFormat } from '../i18n/formatters';

function WorklistPanel({ list }: { list: WorklistName }) {
  const { t, i18n } = useTranslation();
  const { patientId, open } = usePatientContext();
  const state = useWorklist(list);
  const locale = localeOf[isLanguage(i18n.language) ? i18n.language : 'nb'];
  const items = useMemo(() => (state.status === 'ok' ? worklistItems(state.worklist.rows, new Date(), locale) : []), [state, locale]);
  if (state.status === 'loading') {
    return (
      <Group justify="center" p="md">
        <Loader size="sm" />
      </Group>
    );
  }
  if (state.status === 'error') {
    return (
      <Alert color="red" m="xs">
        {t(`errors.${state.error.code}`)}
      </Alert>
    );
  }
  const refreshed = state.worklist.refreshedAt;
  return (
    <Stack gap={0} className={classes.panel}>
      <Text size="xs" c="dimmed" px="sm" py={4} className={classes.meta}>
        {t('worklist.count', { count: items.length })} ·{' '}
        {refreshed ? t('worklist.refreshed', { time: dateTimeFormat(locale, { timeStyle: 'short' }).format(new Date(refreshed)) }) : t('worklist.neverRefreshed')}
      </Text>
      {items.length === 0 ? (
        <Text size="sm" c="dimmed" p="sm">
          {list === 'today' ? t('worklist.emptyToday') : t('worklist.empty')}
        </Text>
      ) : (
        <WorklistList items={items} label={list === 'today' ? t('worklist.today') : t('worklist.gpList')} idPrefix={`worklist-${list}`} openPatientId={patientId} onOpen={open} showTime={list === 'today'} />
      )}
    </Stack>
  );
}

/** The worklist column: today's appointments and the GP list, from the cache at once. */
export function Worklist() {
  const { t } = useTranslation();
  const [tab, setTab] = useState<WorklistName>('today');
  return (
    <>
    <UnsignedDrafts />
    <Tabs value={tab} onChange={(value) => setTab(value === 'gp-list' ? 'gp-list' : 'today')} className={classes.tabs} keepMounted={false}>
      <Tabs.List grow>
        <Tabs.Tab value="today">{t('worklist.todayShort')}</Tabs.Tab>
        <Tabs.Tab value="gp-list">{t('worklist.gpList')}</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="today" className={classes.tabPanel}>
        <WorklistPanel list="today" />
      </Tabs.Panel>
      <Tabs.Panel value="gp-list" className={classes.tabPanel}>
        <WorklistPanel list="gp-list" />
      </Tabs.Panel>
    </Tabs>
    </>
  );
}
