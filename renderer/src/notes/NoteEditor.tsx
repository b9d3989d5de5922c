import { Alert, Button, Group, Paper, SegmentedControl, Stack, Text, Textarea, Title } from '@mantine/core';
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
import { contactTypes, hasContent, type NoteForm } from './note-form';
import { SignDialog } from './SignDialog';
import { useAutosave } from './useNoteDraft';
import classes from './NoteEditor.module.css';

type Signed = Extract<CallOutput<'journal.signNote'>, { ok: true }>['saved'];

const SECTION_FIELDS = ['anamnese', 'funn', 'vurdering', 'tiltak'] as const;
type TextField = (typeof SECTION_FIELDS)[number] | 'fritekst';

/**
 * One free-text section. Memoised with stable callbacks: a key typed in one section re-renders
 * that section alone, which keeps typing under a frame while the rest of the note stands still.
 */
const SectionField = memo(function SectionField({
  field,
  label,
  value,
  minRows,
  maxRows,
  onValue,
  onBlur,
}: {
  field: TextField;
  label: string;
  value: string;
  minRows: number;
  maxRows: number;
  onValue: (field: TextField, value: string) => void;
  onBlur: () => void;
}) {
  return (
    <Textarea
      label={label}
      autosize
      minRows={minRows}
      maxRows={maxRows}
      value={value}
      onChange={(event) => onValue(field, event.currentTarget.value)}
      onBlur={onBlur}
      spellCheck
      lang="nb"
    />
  );
});

/**
 * The note being written for the open patient: contact type, coded contact reason, the four
 * sections, coded diagnoses (the first is the main one) and free text. Every change is kept as a
 * draft (at most 2 s behind, at once on blur); Ctrl+Enter asks for the PIN and signs.
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
  const [form, setForm] = useState<NoteForm>(initial);
  const [problem, setProblem] = useState<string | undefined>(undefined);
  const [signing, setSigning] = useState<Json | undefined>(undefined);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const autosave = useAutosave(patientId);
  useLeaveGuard(hasContent(form), autosave.flush);

  const { change, flush } = autosave;
  const update = useCallback(
    (patch: Partial<NoteForm>): void => {
      setForm((current) => {
        const next = { ...current, ...patch };
        change(next);
        return next;
      });
      setProblem(undefined);
    },
    [change],
  );
  const setText = useCallback((field: TextField, value: string) => update({ [field]: value }), [update]);
  const setReasons = useCallback((reasons: string[]) => update({ reasons }), [update]);
  const setDiagnoses = useCallback((diagnoses: string[]) => update({ diagnoses }), [update]);
  const saveNow = useCallback(() => void flush(), [flush]);

  const startSigning = (): void => {
    try {
      setSigning(noteComposition(form, patientId));
      void autosave.flush();
    } catch (error) {
      setProblem(error instanceof NoteBuildError ? t(`noteEditor.problem.${error.code}`, { code: error.detail ?? '' }) : t('errors.INTERNAL'));
    }
  };

  // The actions stay the same while typing and whatever the parent hands in (re-registering them
  // re-renders the whole window); Ctrl+Enter reaches the latest form through this ref.
  const latest = useRef({ startSigning, onClose });
  useEffect(() => {
    latest.current = { startSigning, onClose };
  });
  const actions = useMemo<WorkstationAction[]>(
    () => [
      { id: 'note.sign', label: t('noteEditor.sign'), group: t('palette.groups.note'), hotkey: 'mod+Enter', inTextFields: true, run: () => latest.current.startSigning() },
      { id: 'note.close', label: t('noteEditor.close'), group: t('palette.groups.note'), run: () => latest.current.onClose() },
      { id: 'note.discard', label: t('noteEditor.discard'), group: t('palette.groups.note'), run: () => setConfirmDiscard(true) },
    ],
    [t],
  );
  useRegisterActions('note-editor', actions);

  const correction = form.correction;
  const saveText =
    autosave.status.state === 'saving'
      ? t('noteEditor.saving')
      : autosave.status.state === 'saved'
        ? t('noteEditor.savedAt', { time: formatDate(autosave.status.at, locale) })
        : autosave.status.state === 'failed'
          ? t('noteEditor.saveFailed')
          : t('noteEditor.autosave');
  return (
    <Paper component="form" className={classes.editor} aria-labelledby="note-editor-heading" data-testid="note-editor" onSubmit={(event) => { event.preventDefault(); startSigning(); }}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <div>
            <Title order={2} size="h5" id="note-editor-heading">
              {correction ? t(`noteEditor.heading.${correction.kind}`, { title: correction.targetTitle }) : t('noteEditor.heading.new')}
            </Title>
            <Text size="xs" c={autosave.status.state === 'failed' ? 'red.9' : 'dimmed'} aria-live="polite" data-testid="autosave-status" data-state={autosave.status.state}>
              {saveText}
            </Text>
          </div>
          <SegmentedControl
            size="xs"
            aria-label={t('noteEditor.contactType')}
            value={form.contactType}
            onChange={(value) => update({ contactType: value })}
            data={contactTypes.map((type) => ({ value: type, label: t(`noteEditor.contactTypes.${type}`) }))}
          />
        </Group>
        {correction && (
          <Textarea
            label={t(`noteEditor.reason.${correction.kind}`)}
            required
            autosize
            minRows={1}
            maxRows={4}
            value={correction.reason}
            onChange={(event) => update({ correction: { ...correction, reason: event.currentTarget.value } })}
            onBlur={() => void autosave.flush()}
            data-autofocus
          />
        )}
        <CodePicker label={t('noteEditor.reasons')} value={form.reasons} onChange={setReasons} onBlur={saveNow} testId="reason-picker" autoFocus={!correction} />
        {SECTION_FIELDS.map((field) => (
          <SectionField key={field} field={field} label={t(`noteEditor.sections.${field}`)} value={form[field]} minRows={field === 'anamnese' ? 3 : 2} maxRows={14} onValue={setText} onBlur={saveNow} />
        ))}
        <CodePicker label={t('noteEditor.diagnoses')} mainLabel={t('noteEditor.mainDiagnosis')} value={form.diagnoses} onChange={setDiagnoses} onBlur={saveNow} testId="diagnosis-picker" />
        <SectionField field="fritekst" label={t('noteEditor.sections.fritekst')} value={form.fritekst} minRows={1} maxRows={8} onValue={setText} onBlur={saveNow} />
        {problem && (
          <Alert color="red" variant="light" role="alert" p="xs" data-testid="note-problem">
            {problem}
          </Alert>
        )}
        {confirmDiscard && (
          <Alert color="red" variant="light" p="xs" title={t('noteEditor.discardQuestion')} role="alertdialog" aria-label={t('noteEditor.discardQuestion')}>
            <Text size="sm">{t('noteEditor.discardExplain')}</Text>
            <Group gap="xs" mt="xs">
              <Button size="compact-sm" color="red" onClick={() => void autosave.discard().then(onDiscarded)}>
                {t('noteEditor.discardConfirm')}
              </Button>
              <Button size="compact-sm" variant="default" onClick={() => setConfirmDiscard(false)}>
                {t('noteEditor.keep')}
              </Button>
            </Group>
          </Alert>
        )}
        <Group justify="space-between" gap="xs">
          <Group gap="xs">
            <Button type="submit" size="sm">
              {t('noteEditor.sign')} <Text span size="xs" ml={6} c="white">(Ctrl+Enter)</Text>
            </Button>
            <Button variant="default" size="sm" onClick={() => void autosave.flush().then(onClose)}>
              {t('noteEditor.close')}
            </Button>
          </Group>
          <Button variant="subtle" color="red" size="sm" onClick={() => setConfirmDiscard(true)}>
            {t('noteEditor.discard')}
          </Button>
        </Group>
      </Stack>
      <SignDialog
        composition={signing}
        onClose={() => setSigning(undefined)}
        onSigned={(saved) => {
          setSigning(undefined);
          // The signed note shows at once; the draft is thrown away behind it.
          onSigned(saved, autosave.discard().catch(() => undefined));
        }}
      />
    </Paper>
  );
}
