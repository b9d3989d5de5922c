import { useCallback, useEffect, useRef, useState } from 'react';
import { useContract } from '../contract/hooks';
import { noteDraftKey, noteFormSchema, type NoteForm } from './note-form';

/** Autosave at most this often while typing (and at once on blur): a crash loses at most this much. */
export const AUTOSAVE_INTERVAL_MS = 2_000;

export type DraftLoad =
  | { status: 'loading' }
  /** `form` is the draft kept for this patient, or undefined when there is none. */
  | { status: 'ready'; form: NoteForm | undefined; updatedAt: string | undefined }
  /** A draft is there but is not a note this version can read: kept untouched, not offered. */
  | { status: 'unreadable'; updatedAt: string };

/** The draft kept in the encrypted cache for this patient's note, read once when the chart opens. */
export const useStoredDraft = (patientId: string): { load: DraftLoad; reload: () => void; forget: () => void } => {
  const client = useContract();
  const [load, setLoad] = useState<DraftLoad>({ status: 'loading' });
  const [generation, setGeneration] = useState(0);
  useEffect(() => {
    let current = true;
    client.call('draft.get', { key: noteDraftKey(patientId) }).then(
      (draft) => {
        if (!current) {
          return;
        }
        if (!draft) {
          setLoad({ status: 'ready', form: undefined, updatedAt: undefined });
          return;
        }
        const parsed = noteFormSchema.safeParse(draft.value);
        setLoad(parsed.success ? { status: 'ready', form: parsed.data, updatedAt: draft.updatedAt } : { status: 'unreadable', updatedAt: draft.updatedAt });
      },
      () => current && setLoad({ status: 'ready', form: undefined, updatedAt: undefined }),
    );
    return () => {
      current = false;
    };
  }, [client, patientId, generation]);
  return {
    load,
    reload: useCallback(() => setGeneration((g) => g + 1), []),
    /** The note was signed: no draft to offer, whatever the store says until its delete lands. */
    forget: useCallback(() => setLoad({ status: 'ready', form: undefined, updatedAt: undefined }), []),
  };
};

export type AutosaveState = { state: 'idle' } | { state: 'saving' } | { state: 'saved'; at: string } | { state: 'failed' };

/**
 * Keeps the note being written in `draft.save`: at most every AUTOSAVE_INTERVAL_MS while it
 * changes, at once on `flush` (blur, switching patient, signing) and when the editor closes.
 * Saves never overlap: a change made while one is in flight is saved right after it.
 */
export const useAutosave = (patientId: string) => {
  const client = useContract();
  const latest = useRef<NoteForm | undefined>(undefined);
  const dirty = useRef(false);
  const lastSavedAt = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const inFlight = useRef<Promise<void> | undefined>(undefined);
  const [status, setStatus] = useState<AutosaveState>({ state: 'idle' });
  const mounted = useRef(true);

  const save = useCallback(async (): Promise<void> => {
    if (timer.current !== undefined) {
      clearTimeout(timer.current);
      timer.current = undefined;
    }
    // One save at a time: the one in flight may have taken an older text, so wait, then save the latest.
    while (inFlight.current) {
      await inFlight.current;
    }
    if (!dirty.current || latest.current === undefined) {
      return;
    }
    dirty.current = false;
    lastSavedAt.current = Date.now();
    if (mounted.current) {
      setStatus({ state: 'saving' });
    }
    const value = latest.current;
    const run = client.call('draft.save', { key: noteDraftKey(patientId), patientId, value }).then(
      ({ updatedAt }) => {
        if (mounted.current) {
          setStatus({ state: 'saved', at: updatedAt });
        }
      },
      () => {
        // Not saved: try again with the next change or flush; the text is still on screen.
        dirty.current = true;
        if (mounted.current) {
          setStatus({ state: 'failed' });
        }
      },
    );
    inFlight.current = run.finally(() => {
      inFlight.current = undefined;
    });
    await inFlight.current;
  }, [client, patientId]);

  const change = useCallback(
    (form: NoteForm): void => {
      latest.current = form;
      dirty.current = true;
      if (timer.current === undefined) {
        const wait = Math.max(0, AUTOSAVE_INTERVAL_MS - (Date.now() - lastSavedAt.current));
        timer.current = setTimeout(() => {
          timer.current = undefined;
          void save();
        }, wait);
      }
    },
    [save],
  );

  const discard = useCallback(async (): Promise<void> => {
    if (timer.current !== undefined) {
      clearTimeout(timer.current);
      timer.current = undefined;
    }
    dirty.current = false;
    await inFlight.current;
    await client.call('draft.delete', { key: noteDraftKey(patientId) });
  }, [client, patientId]);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
      // Closing the editor (or the patient) never drops the last words typed.
      void save();
    };
  }, [save]);

  return { change, flush: save, discard, status };
};
