import { Kbd } from '@mantine/core';
import { Spotlight } from '@mantine/spotlight';
import '@mantine/spotlight/styles.css';
import { useTranslation } from 'react-i18next';
import { keysLabel, useActions } from './actions';

/** Ctrl+Shift+P: every action the screen offers, searchable by its words. */
export function CommandPalette() {
  const { t } = useTranslation();
  const actions = useActions();
  const groups = [...new Set(actions.map((a) => a.group))].map((group) => ({
    group,
    actions: actions
      .filter((a) => a.group === group)
      .map((a) => ({
        id: a.id,
        label: a.label,
        onClick: a.run,
        rightSection: a.hotkey ? <Kbd size="xs">{keysLabel(a.hotkey)}</Kbd> : undefined,
      })),
  }));
  return (
    <Spotlight
      actions={groups}
      shortcut={['mod + shift + P']}
      nothingFound={t('palette.nothingFound')}
      highlightQuery
      limit={50}
      scrollable
      maxHeight={420}
      searchProps={{ placeholder: t('palette.placeholder'), 'aria-label': t('palette.label') }}
    />
  );
}
