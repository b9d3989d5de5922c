import { Alert, Button, Group, Paper, SegmentedControl, Stack, Text, Textarea, Title } from '@mantine/core';
import { useEffect, useMemo, useRef, useState } from 'react';
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
  onSigned: (saved: Signed) => void;
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
  const firstField = useRef<HTMLTextAreaElement>(null);
  useLeaveGuard(hasContent(form), autosave.flush);

  const update = (patch: Partial<NoteForm>): void => {
    setForm((current) => {
      const next = { ...current, ...patch };
      autosave.change(next);
      return next;
    });
    setProblem(undefined);
  };

  const startSigning = (): void => {
    try {
      setSigning(noteComposition(form, patientId));
      void autosave.flush();
    } catch (error) {
      setProblem(error instanceof NoteBuildError ? t(`noteEditor.problem.${error.code}`, { code: error.detail ?? '' }) : t('errors.INTERNAL'));
    }
  };

  // The actions stay the same while typing (re-registering them on every key would re-render the
  // whole window); Ctrl+Enter reaches the latest form through this ref.
  const sign = useRef(startSigning);
  useEffect(() => {
    sign.current = startSigning;
  });
  const actions = useMemo<WorkstationAction[]>(
    () => [
      { id: 'note.sign', label: t('noteEditor.sign'), group: t('palette.groups.note'), hotkey: 'mod+Enter', inTextFields: true, run: () => sign.current() },
      { id: 'note.close', label: t('noteEditor.close'), group: t('palette.groups.note'), run: onClose },
      { id: 'note.discard', label: t('noteEditor.discard'), group: t('palette.groups.note'), run: () => setConfirmDiscard(true) },
    ],
    [t, onClose],
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
        <CodePicker label={t('noteEditor.reasons')} value={form.reasons} onChange={(reasons) => update({ reasons })} onBlur={() => void autosave.flush()} testId="reason-picker" autoFocus={!correction} />
        {SECTION_FIELDS.map((field, index) => (
          <Textarea
            key={field}
            ref={index === 0 ? firstField : undefined}
            label={t(`noteEditor.sections.${field}`)}
            autosize
            minRows={field === 'anamnese' ? 3 : 2}
            maxRows={14}
            value={form[field]}
            onChange={(event) => update({ [field]: event.currentTarget.value })}
            onBlur={() => void autosave.flush()}
            spellCheck
            lang="nb"
          />
        ))}
        <CodePicker label={t('noteEditor.diagnoses')} mainLabel={t('noteEditor.mainDiagnosis')} value={form.diagnoses} onChange={(diagnoses) => update({ diagnoses })} onBlur={() => void autosave.flush()} testId="diagnosis-picker" />
        <Textarea
          label={t('noteEditor.sections.fritekst')}
          autosize
          minRows={1}
          maxRows={8}
          value={form.fritekst}
          onChange={(event) => update({ fritekst: event.currentTarget.value })}
          onBlur={() => void autosave.flush()}
          lang="nb"
        />
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
          void autosave.discard().then(() => onSigned(saved), () => onSigned(saved));
        }}
      />
    </Paper>
  );
}
