import { Alert, Button, Center, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { rebuildableCacheFailures, type HealthProblem, type UnsentWork } from '../../../shared/contract';
import { useContract } from '../contract/hooks';

type Shown = { key: string; what: string; meaning: string };

const wordsFor = (problem: HealthProblem): { key: string; values: { path?: string; url?: string; code?: string } } => {
  switch (problem.kind) {
    case 'settings-set-aside':
      return { key: problem.kind, values: { path: problem.setAsidePath } };
    case 'machine-settings-invalid':
      return { key: problem.kind, values: { path: problem.path } };
    case 'journal-not-configured':
    case 'demo-journal-failed':
      return { key: problem.kind, values: {} };
    case 'journal-url-wrong':
      return { key: problem.kind, values: { url: problem.journalUrl } };
    case 'card-module-failed':
      return { key: problem.kind, values: { path: problem.modulePath } };
    case 'cache-unavailable':
      return { key: problem.kind, values: { code: problem.code } };
    default: {
      const never: never = problem;
      throw new Error(`unknown problem ${JSON.stringify(never)}`);
    }
  }
};

/** What core did with the unsent changes of a cache that did not open: only what it knows, nothing more. */
function UnsentText({ unsent }: { unsent: UnsentWork }) {
  const { t } = useTranslation();
  if (unsent.state === 'unknown') {
    return <>{t('settings.failure.unsent.unknown')}</>;
  }
  return (
    <>
      {t('settings.failure.unsent.exported', { count: unsent.items, file: unsent.file })}
      {unsent.unreadable > 0 && <> {t('settings.failure.unsent.unreadable', { count: unsent.unreadable })}</>}{' '}
      {t('settings.failure.unsent.noRebuild')}
    </>
  );
}

/**
 * Instead of a blank window: what happened, what it means for the clinician's data, and what to
 * do (try again, continue where that is safe, export the logs for IT). Used for the problems
 * core reports and by the error boundary for a render error.
 */
export function FailureScreen({ problems, onRetry, onContinue }: { problems: HealthProblem[] | 'render-error'; onRetry: () => void; onContinue?: (() => void) | undefined }) {
  const { t } = useTranslation();
  const client = useContract();
  const [exported, setExported] = useState<{ path: string } | 'failed' | undefined>(undefined);
  const shown: Shown[] =
    problems === 'render-error'
      ? [{ key: 'boundary', what: t('settings.failure.boundary.what'), meaning: t('settings.failure.boundary.meaning') }]
      : problems.map((problem) => {
          const { key, values } = wordsFor(problem);
          const what = t(`settings.failure.problems.${problem.kind}.what`, { path: values.path ?? '', url: values.url ?? '', code: values.code ?? '' });
          return { key, what, meaning: t(`settings.failure.problems.${problem.kind}.meaning`) };
        });
  const cache = problems === 'render-error' ? undefined : problems.find((p) => p.kind === 'cache-unavailable');
  // Exported unsent work is queued again only from the same cache: a rebuild (new key) would strand it.
  const rebuildable = cache !== undefined && rebuildableCacheFailures.includes(cache.code) && cache.unsent.state !== 'exported';
  const [rebuildFailed, setRebuildFailed] = useState(false);
  const rebuild = (): void => {
    setRebuildFailed(false);
    client.call('cache.rebuild', {}).then(onRetry, () => setRebuildFailed(true));
  };
  const exportLogs = (): void => {
    client.call('log.export', {}).then(
      ({ path }) => setExported({ path }),
      () => setExported('failed'),
    );
  };
  return (
    <Center mih="100dvh" p="md">
      <Paper withBorder p="lg" maw={720} w="100%" role="alert" data-testid="failure-screen">
        <Stack gap="md">
          <Title order={1} size="h3">
            {t('settings.failure.heading')}
          </Title>
          {shown.map((item) => (
            <Stack key={item.key} gap={4} data-problem={item.key}>
              <Text size="sm" fw={600}>
                {t('settings.failure.whatHappened')}
              </Text>
              <Text size="sm">{item.what}</Text>
              <Text size="sm" fw={600}>
                {t('settings.failure.meaning')}
              </Text>
              <Text size="sm">{item.meaning}</Text>
            </Stack>
          ))}
          <Text size="sm" fw={600}>
            {t('settings.failure.whatToDo')}
          </Text>
          <List size="sm" spacing={4}>
            {cache && (
              <List.Item data-testid="failure-unsent" data-state={cache.unsent.state}>
                <UnsentText unsent={cache.unsent} />
              </List.Item>
            )}
            <List.Item>{t('settings.failure.rebuild')}</List.Item>
            <List.Item>{t('settings.failure.contactIt')}</List.Item>
          </List>
          {exported === 'failed' && <Alert color="red">{t('settings.exportFailed')}</Alert>}
          {rebuildFailed && <Alert color="red">{t('settings.failure.rebuildFailed')}</Alert>}
          {exported !== undefined && exported !== 'failed' && (
            <Alert color="blue" data-testid="logs-exported">
              {t('settings.exported', { path: exported.path })}
            </Alert>
          )}
          <Group gap="xs">
            <Button onClick={onRetry} data-testid="failure-retry">
              {t('settings.failure.retry')}
            </Button>
            {rebuildable && (
              <Button variant="default" onClick={rebuild} data-testid="failure-rebuild">
                {t('settings.failure.rebuildAction')}
              </Button>
            )}
            <Button variant="default" onClick={exportLogs}>
              {t('settings.failure.exportLogs')}
            </Button>
            {onContinue && (
              <Button variant="subtle" onClick={onContinue} data-testid="failure-continue">
                {t('settings.failure.continue')}
              </Button>
            )}
          </Group>
        </Stack>
      </Paper>
    </Center>
  );
}
