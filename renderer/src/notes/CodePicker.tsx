import { Combobox, Group, Pill, PillsInput, Text, useCombobox } from '@mantine/core';
import { memo, useEffect, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createCodeSearch } from '../../../shared/terminology/code-search';
import { icpc2Codes, icpc2Text } from '../../../shared/terminology/icpc2';
import { icpc2Synonyms } from '../../../shared/terminology/icpc2-synonyms';

// Built once: the search precomputes its index over all ICPC-2 codes.
const icpc2Search = createCodeSearch(icpc2Codes, icpc2Synonyms);

/**
 * ICPC-2 codes as pills, picked by typing a code or Norwegian words ("R74", "forkjøl", "hoste"):
 * arrow keys move, Enter takes the highlighted code, Backspace in the empty field removes the last.
 * The first code is the main one where the caller says so.
 */
export const CodePicker = memo(function CodePicker({
  label,
  value,
  onChange,
  onBlur,
  mainLabel,
  testId,
  autoFocus,
}: {
  label: string;
  value: readonly string[];
  onChange: (codes: string[]) => void;
  onBlur?: () => void;
  /** Marks the first code (e.g. "hoveddiagnose") when there are several. */
  mainLabel?: string;
  testId?: string;
  autoFocus?: boolean;
}) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const hits = useMemo(() => icpc2Search.search(search, 12).filter((hit) => !value.includes(hit.entry.code)), [search, value]);
  const hintId = useId();
  useEffect(() => {
    // The best hit is highlighted as the clinician types, so Enter takes it.
    if (hits.length > 0) {
      combobox.selectFirstOption();
    }
  }, [hits, combobox]);

  const add = (code: string): void => {
    onChange([...value, code]);
    setSearch('');
  };
  return (
    <Combobox store={combobox} onOptionSubmit={add} withinPortal={false}>
      <Combobox.DropdownTarget>
        <PillsInput label={label} size="sm" onClick={() => combobox.openDropdown()} data-testid={testId}>
          <Pill.Group>
            {value.map((code, index) => (
              <Pill key={code} withRemoveButton onRemove={() => onChange(value.filter((c) => c !== code))} removeButtonProps={{ 'aria-label': t('noteEditor.removeCode', { code }) }} data-code={code}>
                <strong>{code}</strong> {icpc2Text(code) ?? t('noteEditor.unknownCode')}
                {index === 0 && mainLabel && value.length > 1 ? ` (${mainLabel})` : ''}
              </Pill>
            ))}
            <Combobox.EventsTarget>
              <PillsInput.Field
                value={search}
                placeholder={value.length === 0 ? t('noteEditor.codePlaceholder') : undefined}
                aria-label={label}
                aria-describedby={hintId}
                autoFocus={autoFocus}
                // In a Modal the focus trap decides the first focus: it takes the element marked so.
                data-autofocus={autoFocus || undefined}
                onFocus={() => combobox.openDropdown()}
                onBlur={() => {
                  combobox.closeDropdown();
                  onBlur?.();
                }}
                onChange={(event) => {
                  combobox.openDropdown();
                  setSearch(event.currentTarget.value);
                }}
                onKeyDown={(event) => {
                  if (event.key === 'Backspace' && search === '' && value.length > 0) {
                    event.preventDefault();
                    onChange(value.slice(0, -1));
                  }
                }}
              />
            </Combobox.EventsTarget>
          </Pill.Group>
        </PillsInput>
      </Combobox.DropdownTarget>
      <span id={hintId} hidden>
        {t('noteEditor.codeHint')}
      </span>
      <Combobox.Dropdown hidden={search.trim() === ''}>
        <Combobox.Options mah={260} style={{ overflowY: 'auto' }} aria-label={label}>
          {hits.length === 0 ? (
            <Combobox.Empty>{t('noteEditor.noCodes')}</Combobox.Empty>
          ) : (
            hits.map((hit) => (
              <Combobox.Option value={hit.entry.code} key={hit.entry.code} data-testid="code-option">
                <Group gap={8} wrap="nowrap">
                  <Text size="sm" fw={700} ff="monospace" w={44}>
                    {hit.entry.code}
                  </Text>
                  <Text size="sm">{hit.entry.text}</Text>
                </Group>
              </Combobox.Option>
            ))
          )}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
});
