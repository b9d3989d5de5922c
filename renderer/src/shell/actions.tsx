import { useHotkeys } from '@mantine/hooks';
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

/**
 * One thing the clinician can do: in the command palette (Ctrl+Shift+P), in the help overlay
 * (F1 or ?) with its keys, and on its hotkey. Screens register what they offer while they are
 * shown, so the palette never lists an action that would do nothing here.
 */
export interface WorkstationAction {
  id: string;
  /** The palette's and help's words, already translated. */
  label: string;
  group: string;
  /** Mantine hotkey notation (`mod+N`, `F1`), when the action has keys. */
  hotkey?: string;
  /** Also when the focus is in a text field (Ctrl+Enter in the note editor); plain keys never are. */
  inTextFields?: boolean;
  /** The keys are bound by the component itself (the search field's Ctrl+K): listed, not bound again. */
  boundElsewhere?: boolean;
  run: () => void;
}

type Register = (owner: string, actions: WorkstationAction[]) => () => void;

// Two contexts: a screen that registers actions must not re-render when the list changes (it
// would hand in new actions and loop), only the palette and the help overlay read the list.
const RegisterContext = createContext<Register | null>(null);
const ActionListContext = createContext<WorkstationAction[] | null>(null);

/** `mod+shift+P` as the keys a Windows clinician presses: Ctrl+Shift+P. */
export const keysLabel = (hotkey: string): string =>
  hotkey
    .split('+')
    .map((part) => (part === 'mod' ? 'Ctrl' : part.length === 1 ? part.toUpperCase() : part.charAt(0).toUpperCase() + part.slice(1)))
    .join('+');

const hasModifier = (hotkey: string): boolean => /^(mod|ctrl|alt|shift)\+/i.test(hotkey) || /^F\d{1,2}$/.test(hotkey);

export function ActionProvider({ children }: { children: ReactNode }) {
  const [owners, setOwners] = useState<ReadonlyMap<string, WorkstationAction[]>>(new Map());
  const register = useCallback((owner: string, actions: WorkstationAction[]) => {
    setOwners((current) => new Map(current).set(owner, actions));
    return () =>
      setOwners((current) => {
        const next = new Map(current);
        next.delete(owner);
        return next;
      });
  }, []);
  const actions = useMemo(() => [...owners.values()].flat(), [owners]);
  // Two bindings: keys with a modifier (or F-keys) work in text fields where an action says so;
  // plain keys such as "?" never fire while someone types.
  const bound = useMemo(() => actions.filter((a) => a.hotkey && !a.boundElsewhere), [actions]);
  const everywhere = useMemo(() => bound.filter((a) => a.hotkey && a.inTextFields && hasModifier(a.hotkey)).map((a) => [a.hotkey ?? '', a.run] as [string, () => void]), [bound]);
  const outsideFields = useMemo(() => bound.filter((a) => a.hotkey && !(a.inTextFields && hasModifier(a.hotkey))).map((a) => [a.hotkey ?? '', a.run] as [string, () => void]), [bound]);
  useHotkeys(everywhere, []);
  useHotkeys(outsideFields);
  return (
    <RegisterContext.Provider value={register}>
      <ActionListContext.Provider value={actions}>{children}</ActionListContext.Provider>
    </RegisterContext.Provider>
  );
}

const required = <T,>(value: T | null): T => {
  if (value === null) {
    throw new Error('actions need an <ActionProvider> above them');
  }
  return value;
};

/** Offers these actions while the component is mounted (pass a memoised array). */
export const useRegisterActions = (owner: string, actions: WorkstationAction[]): void => {
  const register = required(useContext(RegisterContext));
  useEffect(() => register(owner, actions), [register, owner, actions]);
};

/** Every action offered now, for the palette and the help overlay. */
export const useActions = (): WorkstationAction[] => required(useContext(ActionListContext));
