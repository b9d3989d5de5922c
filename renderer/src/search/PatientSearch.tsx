import { Badge, Combobox, Group, Loader, Text, TextInput, useCombobox } from '@mantine/core';
import { useHotkeys } from '@mantine/hooks';
import { forwardRef, useEffect, useImperativeHandle, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { summarisePatient } from '../patient/patient-summary';
import { usePatientContext } from '../shell/patient-context';
import { queryHint } from './query-hint';
import { usePatientSearch } from './usePatientSearch';
import classes from './PatientSearch.module.css';

export interface PatientSearchHandle {
  focus: () => void;
}

/**
 * The one patient search field in the header, focused from anywhere with Ctrl+K or F2. Results
 * are a listbox (arrow keys move, Enter opens); a national id with a wrong check digit says so
 * instead of finding nothing.
 */
export const PatientSearch = forwardRef<PatientSearchHandle>(function PatientSearch(_props, ref) {
  const { t } = useTranslation();
  const { open } = usePatientContext();
  const input = useRef<HTMLInputElement>(null);
  const [query, setQuery] = useState('');
  const hint = queryHint(query);
  const search = usePatientSearch(query, hint === undefined);
  const combobox = useCombobox({ onDropdownClose: () => combobox.resetSelectedOption() });
  const now = useMemo(() => new Date(), []);

  useImperativeHandle(ref, () => ({ focus: () => input.current?.select() }), []);
  useHotkeys(
    [
      ['mod+K', () => input.current?.select()],
      ['F2', () => input.current?.select()],
    ],
    [],
  );

  const hits = search.query === query.trim() ? search.hits : [];
  const firstHit = hits[0]?.patient.id;
  // The first hit is ready for Enter whenever the answer changes (the journal's merge arrives later).
  useEffect(() => {
    if (firstHit !== undefined) {
      combobox.selectFirstOption();
    }
  }, [firstHit, hits.length, combobox]);
  const choose = (patientId: string): void => {
    open(patientId);
    setQuery('');
    combobox.closeDropdown();
    input.current?.blur();
  };

  const status =
    hint !== undefined ? (
      <Text size="sm" c="red.9" role="alert" px="sm" py={6}>
        {t(`search.${hint}`)}
      </Text>
    ) : search.journal === 'offline' ? (
      <Text size="xs" c="dark" bg="yellow.1" px="sm" py={4} data-testid="search-offline">
        {t('search.offline')}
      </Text>
    ) : search.journal === 'failed' ? (
      <Text size="xs" c="dark" bg="yellow.1" px="sm" py={4}>
        {t('search.failed')}
      </Text>
    ) : null;

  return (
    <Combobox
      store={combobox}
      onOptionSubmit={choose}
      width={600}
      shadow="md"
      position="bottom-start"
      // The first hit is ready for Enter as soon as it is painted.
      onOpen={() => combobox.selectFirstOption()}
    >
      <Combobox.Target>
        <TextInput
          ref={input}
          aria-label={t('shell.search')}
          placeholder={t('shell.searchPlaceholder')}
          value={query}
          size="sm"
          w={{ base: 280, lg: 420 }}
          autoComplete="off"
          spellCheck={false}
          rightSection={search.pending ? <Loader size={14} /> : null}
          onChange={(event) => {
            setQuery(event.currentTarget.value.slice(0, 100));
            combobox.openDropdown();
          }}
          onFocus={() => query && combobox.openDropdown()}
          onBlur={() => combobox.closeDropdown()}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && firstHit !== undefined && (!combobox.dropdownOpened || combobox.getSelectedOptionIndex() === -1)) {
              event.preventDefault();
              choose(firstHit);
            } else if (event.key === 'Escape') {
              setQuery('');
              combobox.closeDropdown();
            }
          }}
        />
      </Combobox.Target>
      <Combobox.Dropdown hidden={query.trim() === ''} data-testid="search-results" data-query={search.query} data-journal={search.journal} data-count={hits.length}>
        {status}
        <Combobox.Options aria-label={t('search.resultsLabel')}>
          {hits.map((hit) => {
            const patient = summarisePatient(hit.patient, now);
            return (
              <Combobox.Option value={patient.id} key={patient.id} data-testid="search-hit" className={classes.option}>
                <Group justify="space-between" wrap="nowrap" gap="sm">
                  <div style={{ minWidth: 0 }}>
                    <Text size="sm" fw={600} truncate>
                      {patient.sortName || '–'}
                    </Text>
                    <Text size="xs" c="dimmed" truncate>
                      {[patient.gp.display ? t('search.gp', { name: patient.gp.display }) : undefined, hit.source === 'journal' ? t('search.onlyJournal') : undefined]
                        .filter(Boolean)
                        .join(' · ')}
                    </Text>
                  </div>
                  <Group gap="xs" wrap="nowrap">
                    <Text size="sm" ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                      {patient.nationalId?.formatted ?? t('patient.noNationalId')}
                    </Text>
                    <Badge variant="light" color="gray" size="sm" style={{ minWidth: 64 }}>
                      {patient.age === undefined ? '–' : t('patient.age', { age: patient.age })} {t(`patient.sexShort.${patient.sex}`)}
                    </Badge>
                  </Group>
                </Group>
              </Combobox.Option>
            );
          })}
          {hint === undefined && hits.length === 0 && !search.pending && search.query === query.trim() && <Combobox.Empty>{t('search.noHits')}</Combobox.Empty>}
        </Combobox.Options>
      </Combobox.Dropdown>
    </Combobox>
  );
});
