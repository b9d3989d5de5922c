import type { WorklistRow } from '../../../shared/contract';
import { arr, concept, obj, str, time } from '../patient/fhir-read';
import { summarisePatient, type PatientSummary } from '../patient/patient-summary';
import { dateTimeFormat } from '../i18n/formatters';

/** One worklist row as the list shows it. */
export interface WorklistItem {
  patientId: string;
  patient: PatientSummary | undefined;
  /** HH:MM of today's appointment, in the workstation's time zone. */
  time: string | undefined;
  reason: string | undefined;
  status: string | undefined;
}

/** Worklist rows -> what each line shows (a row whose chart is not fetched yet keeps its place). */
export const worklistItems = (rows: readonly WorklistRow[], now: Date, locale: string): WorklistItem[] => {
  const clock = dateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
  return rows.map((row) => {
    const appointment = row.appointment ? obj(row.appointment) : undefined;
    const start = time(appointment?.start);
    return {
      patientId: row.patientId,
      patient: row.patient ? summarisePatient(row.patient, now) : undefined,
      time: start === undefined ? undefined : clock.format(new Date(start)),
      reason:
        str(appointment?.description, 200) ??
        arr(appointment?.reasonCode).map((r) => concept(r).text).find(Boolean) ??
        str(appointment?.comment, 200) ??
        concept(arr(appointment?.appointmentType)[0]).text,
      status: str(appointment?.status, 30),
    };
  });
};
