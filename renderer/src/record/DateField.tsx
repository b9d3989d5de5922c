import { DateInput, DatesProvider } from '@mantine/dates';
import '@mantine/dates/styles.css';
import 'dayjs/locale/nb';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { parseClinicalDate } from './clinical-date';
import classes from './DateField.module.css';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A clinical date field: shown and typed day first (28.11.2026) in both languages, with a
 * calendar (Monday first) to pick from. The form's value is what the text means: a FHIR date
 * (YYYY-MM-DD), '' when empty, or the text itself when it is not a date, which the record
 * builders refuse (BAD_DATE). So the form never holds a date other than the one shown: Mantine
 * alone keeps the last text that parsed (31.03 on the way to a mistyped 31.04) and puts it back on
 * blur.
 */
export function DateField({ label, value, onChange }: { label: string; value: string; onChange: (value: string) => void }) {
  const { t, i18n } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  const typing = useRef(false);
  const [left, setLeft] = useState(false);
  // Escape closes the calendar, not the dialog with the form: Mantine's Modal reads this attribute
  // on the Escape's target before React's handlers run (a window listener, capture), so it says
  // whether the calendar is open now. It opens on focus, click and typing, as DateInput's does.
  const calendarOpen = (open: boolean): void => input.current?.setAttribute('data-mantine-stop-propagation', String(open));
  const date = ISO_DATE.test(value) ? value : null;
  return (
    <DatesProvider settings={{ locale: i18n.language === 'en' ? 'en' : 'nb', firstDayOfWeek: 1 }}>
      <DateInput
        ref={input}
        size="xs"
        label={label}
        value={date}
        onInput={(event) => {
          typing.current = true;
          queueMicrotask(() => {
            typing.current = false;
          });
          calendarOpen(true);
          const text = event.currentTarget.value.trim();
          onChange(text === '' ? '' : (parseClinicalDate(text) ?? text));
        }}
        onChange={(next) => {
          if (!typing.current) {
            // A day picked in the calendar, which closes it.
            calendarOpen(false);
          }
          if (next !== null) {
            onChange(next);
          }
        }}
        onFocus={() => {
          setLeft(false);
          calendarOpen(true);
        }}
        onClick={() => calendarOpen(true)}
        onBlur={() => {
          setLeft(true);
          calendarOpen(false);
        }}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            calendarOpen(false);
          }
        }}
        dateParser={parseClinicalDate}
        valueFormat="DD.MM.YYYY"
        // On leaving the field a date is written out in full (01122026 -> 01.12.2026); text that is
        // not a date stays as typed, with the error, not replaced by the last date that parsed.
        fixOnBlur={date !== null}
        placeholder={t('record.datePlaceholder')}
        error={left && value !== '' && date === null ? t('record.dateInvalid') : undefined}
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
      />
    </DatesProvider>
  );
}
