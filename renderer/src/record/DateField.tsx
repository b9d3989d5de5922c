import { DateInput, DatesProvider } from '@mantine/dates';
import '@mantine/dates/styles.css';
import 'dayjs/locale/nb';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseClinicalDate } from './clinical-date';
import classes from './DateField.module.css';

/**
 * A clinical date field: shown and typed day first (28.11.2026) in both languages, with a
 * calendar (Monday first) to pick from. The value is a FHIR date, YYYY-MM-DD, or '' for none.
 * Text that is not a date says so when the field is left, and the field shows the value that
 * will be saved (Mantine puts it back on blur), never a date the form does not hold.
 */
export function DateField({ label, value, onChange, testId }: { label: string; value: string; onChange: (value: string) => void; testId?: string }) {
  const { t, i18n } = useTranslation();
  const [invalid, setInvalid] = useState(false);
  return (
    <DatesProvider settings={{ locale: i18n.language === 'en' ? 'en' : 'nb', firstDayOfWeek: 1 }}>
      <DateInput
        size="xs"
        label={label}
        value={value === '' ? null : value}
        onChange={(next) => {
          setInvalid(false);
          onChange(next ?? '');
        }}
        onBlur={(event) => {
          const text = event.currentTarget.value.trim();
          setInvalid(text !== '' && parseClinicalDate(text) === null);
        }}
        dateParser={parseClinicalDate}
        valueFormat="DD.MM.YYYY"
        placeholder={t('record.datePlaceholder')}
        allowDeselect
        // Days of the next and last month are drawn too faint to read (axe: contrast); a clinician needs none of them.
        hideOutsideDates
        classNames={{ day: classes.day }}
        ariaLabels={{
          nextMonth: t('record.calendar.nextMonth'),
          previousMonth: t('record.calendar.previousMonth'),
          nextYear: t('record.calendar.nextYear'),
          previousYear: t('record.calendar.previousYear'),
          nextDecade: t('record.calendar.nextDecade'),
          previousDecade: t('record.calendar.previousDecade'),
          monthLevelControl: t('record.calendar.monthLevel'),
          yearLevelControl: t('record.calendar.yearLevel'),
        }}
        error={invalid ? t('record.dateInvalid') : undefined}
        popoverProps={{ withinPortal: true }}
        data-testid={testId}
      />
    </DatesProvider>
  );
}
