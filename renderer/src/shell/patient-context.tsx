import { Button, Group, Modal, Text } from '@mantine/core';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * The open patient: one piece of state with one owner. Every view of a patient is keyed by the id
 * below it, so switching or closing resets all of them at once and two patients' data never share
 * the screen. A note being written holds a leave guard: switching or closing then asks first
 * (the draft is kept either way).
 */
interface PatientContextValue {
  patientId: string | undefined;
  open: (patientId: string) => void;
  close: () => void;
  /**
   * Closes without asking (locking the screen): drafts are kept. Settles when the note being
   * written has saved its last words (a locked cache takes no more).
   */
  closeNow: () => Promise<void>;
  /**
   * The patient back after an unlock whose note was open when the screen locked: their chart opens
   * the kept draft in the editor again, once (`resumedNoteDone`), not at every later visit.
   */
  resumeNoteFor: string | undefined;
  resumedNoteDone: () => void;
  /** The chart tells whether a note is being written (so a lock can bring it back). */
  noteOpenChanged: (open: boolean) => void;
}

interface LeaveGuard {
  /** Saves what is on screen as the draft before the patient goes. */
  flush: () => Promise<void>;
}

const PatientContext = createContext<PatientContextValue | null>(null);
const GuardContext = createContext<((guard: LeaveGuard | null) => void) | null>(null);

export function PatientContextProvider({
  children,
  initialPatientId,
  onPatientChange,
  resumeNote = false,
  onNoteOpenChange,
}: {
  children: ReactNode;
  /** The patient open when the screen locked: back after the same clinician unlocks. */
  initialPatientId?: string | undefined;
  /** Told of every patient opened or closed by the clinician (not of a close by locking). */
  onPatientChange?: (patientId: string | undefined) => void;
  /** The note was open for `initialPatientId` when the screen locked: the editor opens again with its draft. */
  resumeNote?: boolean;
  /** Told whenever the note editor opens or closes (not when a lock takes it away). */
  onNoteOpenChange?: (open: boolean) => void;
}) {
  const { t } = useTranslation();
  const [patientId, setPatientId] = useState<string | undefined>(initialPatientId);
  const closingForLock = useRef(false);
  useEffect(() => {
    if (closingForLock.current) {
      closingForLock.current = false;
      return;
    }
    onPatientChange?.(patientId);
  }, [patientId, onPatientChange]);
  const guard = useRef<LeaveGuard | null>(null);
  const [pending, setPending] = useState<{ next: string | undefined } | undefined>(undefined);
  const attempt = useCallback((next: string | undefined) => {
    setPatientId((current) => {
      if (current === next) {
        return current;
      }
      if (guard.current) {
        setPending({ next });
        return current;
      }
      return next;
    });
  }, []);
  const open = useCallback((id: string) => attempt(id), [attempt]);
  const close = useCallback(() => attempt(undefined), [attempt]);
  const closeNow = useCallback((): Promise<void> => {
    closingForLock.current = true;
    const flushing = guard.current?.flush() ?? Promise.resolve();
    guard.current = null;
    setPending(undefined);
    setPatientId(undefined);
    return flushing;
  }, []);
  const leave = (): void => {
    const next = pending?.next;
    const flushing = guard.current?.flush() ?? Promise.resolve();
    setPending(undefined);
    void flushing.finally(() => {
      guard.current = null;
      setPatientId(next);
    });
  };
  const [resumeNoteFor, setResumeNoteFor] = useState(resumeNote ? initialPatientId : undefined);
  const resumedNoteDone = useCallback(() => setResumeNoteFor(undefined), []);
  const noteOpenChanged = useCallback((isOpen: boolean) => onNoteOpenChange?.(isOpen), [onNoteOpenChange]);
  const value = useMemo(
    () => ({ patientId, open, close, closeNow, resumeNoteFor, resumedNoteDone, noteOpenChanged }),
    [patientId, open, close, closeNow, resumeNoteFor, resumedNoteDone, noteOpenChanged],
  );
  const setGuard = useCallback((next: LeaveGuard | null) => {
    guard.current = next;
  }, []);
  return (
    <PatientContext.Provider value={value}>
      <GuardContext.Provider value={setGuard}>{children}</GuardContext.Provider>
      <Modal closeButtonProps={{ 'aria-label': t('leave.stay') }} opened={pending !== undefined} onClose={() => setPending(undefined)} title={t('leave.heading')} size="sm">
        <Text size="sm">{t('leave.explain')}</Text>
        <Group justify="flex-end" gap="xs" mt="md">
          <Button variant="default" onClick={() => setPending(undefined)} data-autofocus>
            {t('leave.stay')}
          </Button>
          <Button onClick={leave}>{pending?.next ? t('leave.switch') : t('leave.close')}</Button>
        </Group>
      </Modal>
    </PatientContext.Provider>
  );
}

export const usePatientContext = (): PatientContextValue => {
  const value = useContext(PatientContext);
  if (value === null) {
    throw new Error('usePatientContext needs a <PatientContextProvider> above it');
  }
  return value;
};

/** While `active`, switching or closing the patient asks first, and `flush` keeps the draft. */
export const useLeaveGuard = (active: boolean, flush: () => Promise<void>): void => {
  const setGuard = useContext(GuardContext);
  useEffect(() => {
    if (!setGuard || !active) {
      return undefined;
    }
    setGuard({ flush });
    return () => setGuard(null);
  }, [setGuard, active, flush]);
};
