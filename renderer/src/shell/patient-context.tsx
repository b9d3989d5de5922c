import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

/**
 * The open patient: one piece of state with one owner. Every view of a patient is keyed by the id
 * below it, so switching or closing resets all of them at once and two patients' data never share
 * the screen.
 */
interface PatientContextValue {
  patientId: string | undefined;
  open: (patientId: string) => void;
  close: () => void;
}

const PatientContext = createContext<PatientContextValue | null>(null);

export function PatientContextProvider({ children }: { children: ReactNode }) {
  const [patientId, setPatientId] = useState<string | undefined>(undefined);
  const open = useCallback((id: string) => setPatientId(id), []);
  const close = useCallback(() => setPatientId(undefined), []);
  const value = useMemo(() => ({ patientId, open, close }), [patientId, open, close]);
  return <PatientContext.Provider value={value}>{children}</PatientContext.Provider>;
}

export const usePatientContext = (): PatientContextValue => {
  const value = useContext(PatientContext);
  if (value === null) {
    throw new Error('usePatientContext needs a <PatientContextProvider> above it');
  }
  return value;
};
