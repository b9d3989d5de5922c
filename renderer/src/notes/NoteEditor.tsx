import { Alert, Button, Group, Paper, SegmentedControl, Stack, Text, Textarea, Title, type TextareaProps } from '@mantine/core';
import { memo, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../shared/contract';
import { formatDate } from '../chart/format';
import { useLocale } from '../chart/useLocale';
import type { Json } from '../patient/fhir-read';
import { useRegisterActions, type WorkstationAction } from '../shell/actions';
import { useLeaveGuard } from '../shell/patient-context';
import { NoteBuildError, noteComposition } from './build-note';
import { CodePicker } from './CodePicker';
import { contactTypes, hasContent, type ContactType, type NoteForm } from './note-form';
import { SignDialog } from './SignDialog';
import { useAutosave, type AutosaveState } from './useNoteDraft';
import classes from './NoteEditor.module.css';

type Signed = Extract<CallOutput<'journal.signNote'>, { ok: true }>['saved'];

const SECTION_FIELDS = ['anamnese', 'funn', 'vurdering', 'tiltak'] as const;
const TEXT_FIELDS = [...SECTION_FIELDS, 'fritekst'] as const;
type TextField = (typeof TEXT_FIELDS)[number];

/**
 * A text field that grows with its text between `minRows` and `maxRows`, by CSS
 * (`field-sizing: content`, Chromium 123+) rather than Mantine's `autosize`, which measures a
 * hidden clone's height in JavaScript on every key: that forced layout was the largest cost of a
 * keystroke in the note editor.
 */
const GrowingTextarea = ({ minRows, maxRows, ...props }: TextareaProps & { minRows: number; maxRows: number }) => (
  <Textarea {...props} classNames={{ input: classes.growing }} style={{ '--note-min-rows': minRows, '--note-max-rows': maxRows }} />
);

/**
 * One free-text section, uncontrolled (as react-hook-form does it): the field keeps its own text
 * and reports each change, so a keystroke renders no React component at all. With the section
 * controlled, a key re-rendered the editor and Mantine's field stack, 2-4 ms that made a key
 * miss its frame now and then. The text is only ever set by the clinician: the draft offered
 * back is the field's initial value.
 */
const SectionField = memo(function SectionField({
  field,
  label,
  initialValue,
  minRows,
  maxRows,
  onValue,
  onBlur,
}: {
  field: TextField;
  label: string;
  initialValue: string;
  minRows: number;
  maxRows: number;
  onValue: (field: TextField, value: string) => void;
  onBlur: () => void;
}) {
  return (
    <GrowingTextarea
      label={label}
      minRows={minRows}
      maxRows={maxRows}
      defaultValue={initialValue}
      onChange={(event) => onValue(field, event.currentTarget.value)}
      onBlur={onBlur}
      spellCheck
      lang="nb"
    />
  );
});

/** Heading, autosave state and contact type: re-rendered when these change, not on every key. */
const NoteHeader = memo(function NoteHeader({
  heading,
  saveText,
  saveState,
  contactType,
  onContactType,
}: {
  heading: string;
  saveText: string;
  saveState: AutosaveState['state'];
  contactType: ContactType;
  onContactType: (value: ContactType) => void;
}) {
  const { t } = useTranslation();
  const data = useMemo(() => contactTypes.map((type) => ({ value: type, label: t(`noteEditor.contactTypes.${type}`) })), [t]);
  return (
    <Group justify="space-between" wrap="nowrap" align="flex-start">
      <div>
        <Title order={2} size="h5" id="note-editor-heading">
          {heading}
        </Title>
        <Text size="xs" c={saveState === 'failed' ? 'red.9' : 'dimmed'} aria-live="polite" data-testid="autosave-status" data-state={saveState}>
          {saveText}
        </Text>
      </div>
      <SegmentedControl size="xs" aria-label={t('noteEditor.contactType')} value={contactType} onChange={onContactType} data={data} />
    </Group>
  );
});

/** Sign, close and discard: stable callbacks, so typing never re-renders them. */
const NoteFooter = memo(function NoteFooter({ onClose, onDiscard }: { onClose: () => void; onDiscard: () => void }) {
  const { t } = useTranslation();
  return (
    <Group justify="space-between" gap="xs">
      <Group gap="xs">
        <Button type="submit" size="sm">
          {t('noteEditor.sign')} <Text span size="xs" ml={6} c="white">(Ctrl+Enter)</Text>
        </Button>
        <Button variant="default" size="sm" onClick={onClose}>
          {t('noteEditor.close')}
        </Button>
      </Group>
      <Button variant="subtle" color="red" size="sm" onClick={onDiscard}>
        {t('noteEditor.discard')}
      </Button>
    </Group>
  );
});

/**
 * The note being written for the open patient: contact type, coded contact reason, the four
 * sections, coded diagnoses (the first is the main one) and free text. Every change is kept as a
 * draft (at most 2 s behind, at once on blur); Ctrl+Enter asks for the PIN and signs.
 *
 * A keystroke in a section renders nothing (the sections are uncontrolled; `latestForm` holds the
 * whole note as typed); the parts that do re-render are memoised behind stable callbacks and
 * strings, so the key-to-paint figure in bench:ui stays within a frame.
 */
export function NoteEditor({
  patientId,
  initial,
  onSigned,
  onClose,
  onDiscarded,
}: {
  patientId: string;
  initial: NoteForm;
  /** At once when signed; `draftGone` settles when the draft has been thrown away. */
  onSigned: (saved: Signed, draftGone: Promise<void>) => void;
  /** Closes the editor; the draft stays (it is offered again). */
  onClose: () => void;
  onDiscarded: () => void;
}) {
  const { t } = useTranslation();
  const locale = useLocale();
  // `form` renders the coded parts, contact type and correction; its section texts may lag behind
  // the fields, which own them. `latestForm` is the whole note as typed: saved, signed, guarded.
  const [form, setForm] = useState<NoteForm>(initial);
  const latestForm = useRef<NoteForm>(initial);
  const [content, setContent] = useState(() => hasContent(initial));
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [signing, setSigning] = useState<Json | undefined>(undefined);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const autosave = useAutosave(patientId);
  useLeaveGuard(content, autosave.flush);

  const { change, flush, discard } = autosave;
  const record = useCallback(
    (patch: Partial<NoteForm>): NoteForm => {
      const next = { ...latestForm.current, ...patch };
      latestForm.current = next;
      change(next);
      // Both bail out without a render when nothing changes (the usual case while typing).
      setContent(hasContent(next));
      setProblem(undefined);
      return next;
    },
    [change],
  );
  const update = useCallback((patch: Partial<NoteForm>): void => setForm(record(patch)), [record]);
  const setText = useCallback((field: TextField, value: string) => void record({ [field]: value }), [record]);
  const setReasons = useCallback((reasons: string[]) => update({ reasons }), [update]);
  const setDiagnoses = useCallback((diagnoses: string[]) => update({ diagnoses }), [update]);
  const setContactType = useCallback((contactType: ContactType) => update({ contactType }), [update]);
  const saveNow = useCallback(() => void flush(), [flush]);

  const startSigning = (): void => {
    try {
      setSigning(noteComposition(latestForm.current, patientId));
      void flush();
    } catch (error) {
      setProblem(error instanceof NoteBuildError ? t(`noteEditor.problem.${error.code}`, { code: error.detail ?? '' }) : t('errors.INTERNAL'));
    }
  };

  // The actions and the memoised parts stay the same while typing and whatever the parent hands
  // in (re-registering actions re-renders the whole window); they reach the latest form and
  // callbacks through this ref.
  const latest = useRef({ startSigning, onClose, onSigned, onDiscarded });
  useEffect(() => {
    latest.current = { startSigning, onClose, onSigned, onDiscarded };
  });
  const closeEditor = useCallback(() => void flush().then(() => latest.current.onClose()), [flush]);
  const askDiscard = useCallback(() => setConfirmDiscard(true), []);
  const closeSignDialog = useCallback(() => setSigning(undefined), []);
  const signed = useCallback(
    (saved: Signed) => {
      setSigning(undefined);
      // The signed note shows at once; the draft is thrown away behind it.
      latest.current.onSigned(saved, discard().catch(() => undefined));
    },
    [discard],
  );
  const actions = useMemo<WorkstationAction[]>(
    () => [
      { id: 'note.sign', label: t('noteEditor.sign'), group: t('palette.groups.note'), hotkey: 'mod+Enter', inTextFields: true, run: () => latest.current.startSigning() },
      { id: 'note.close', label: t('noteEditor.close'), group: t('palette.groups.note'), run: () => latest.current.onClose() },
      { id: 'note.discard', label: t('noteEditor.discard'), group: t('palette.groups.note'), run: () => setConfirmDiscard(true) },
    ],
    [t],
  );
  useRegisterActions('note-editor', actions);
  const labels = useMemo(
    () => ({
      reasons: t('noteEditor.reasons'),
      diagnoses: t('noteEditor.diagnoses'),
      mainDiagnosis: t('noteEditor.mainDiagnosis'),
      sections: Object.fromEntries(TEXT_FIELDS.map((field) => [field, t(`noteEditor.sections.${field}`)])) as Record<TextField, string>,
    }),
    [t],
  );

  const correction = form.correction;
  const status = autosave.status;
  const saveText = useMemo(
    () =>
      status.state === 'saving'
        ? t('noteEditor.saving')
        : status.state === 'saved'
          ? t('noteEditor.savedAt', { time: formatDate(status.at, locale) })
          : status.state === 'failed'
            ? t('noteEditor.saveFailed')
            : t('noteEditor.autosave'),
    [status, t, locale],
  );
  const correctionKind = correction?.kind;
  const correctionTitle = correction?.targetTitle;
  const heading = useMemo(
    () => (correctionKind ? t(`noteEditor.heading.${correctionKind}`, { title: correctionTitle }) : t('noteEditor.heading.new')),
    [correctionKind, correctionTitle, t],
  );
  return (
    <Paper component="form" className={classes.editor} aria-labelledby="note-editor-heading" data-testid="note-editor" onSubmit={(event) => { event.preventDefault(); startSigning(); }}>
      <Stack gap="xs">
        <NoteHeader heading={heading} saveText={saveText} saveState={status.state} contactType={form.contactType} onContactType={setContactType} />
        {correction && (
          <GrowingTextarea
            label={t(`noteEditor.reason.${correction.kind}`)}
            required
            minRows={1}
            maxRows={4}
            value={correction.reason}
            onChange={(event) => update({ correction: { ...correction, reason: event.currentTarget.value } })}
            onBlur={saveNow}
            data-autofocus
          />
        )}
        <CodePicker label={labels.reasons} value={form.reasons} onChange={setReasons} onBlur={saveNow} testId="reason-picker" autoFocus={!correction} />
        {SECTION_FIELDS.map((field) => (
          <SectionField key={field} field={field} label={labels.sections[field]} initialValue={initial[field]} minRows={field === 'anamnese' ? 3 : 2} maxRows={14} onValue={setText} onBlur={saveNow} />
        ))}
        <CodePicker label={labels.diagnoses} mainLabel={labels.mainDiagnosis} value={form.diagnoses} onChange={setDiagnoses} onBlur={saveNow} testId="diagnosis-picker" />
        <SectionField field="fritekst" label={labels.sections.fritekst} initialValue={initial.fritekst} minRows={1} maxRows={8} onValue={setText} onBlur={saveNow} />
        {problem && (
          <Alert color="red" variant="light" role="alert" p="xs" data-testid="note-problem">
            {problem}
          </Alert>
        )}
        {confirmDiscard && (
          <Alert color="red" variant="light" p="xs" title={t('noteEditor.discardQuestion')} role="alertdialog" aria-label={t('noteEditor.discardQuestion')}>
            <Text size="sm">{t('noteEditor.discardExplain')}</Text>
            <Group gap="xs" mt="xs">
              <Button size="compact-sm" color="red" onClick={() => void discard().then(() => latest.current.onDiscarded())}>
                {t('noteEditor.discardConfirm')}
              </Button>
              <Button size="compact-sm" variant="default" onClick={() => setConfirmDiscard(false)}>
                {t('noteEditor.keep')}
              </Button>
            </Group>
          </Alert>
        )}
        <NoteFooter onClose={closeEditor} onDiscard={askDiscard} />
      </Stack>
      <SignDialog composition={signing} onClose={closeSignDialog} onSigned={signed} />
    </Paper>
  );
}
