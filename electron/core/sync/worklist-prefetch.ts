import type { Bundle } from 'fhir/r4';
import { HPR_SYSTEM } from '../../../shared/fhir/identifier-systems';
import type { FhirResource } from '../cache';
import type { JournalClient } from './journal-client';

const PAGE = 500;
/** Enough for the largest GP lists (about 2,500) with room; a runaway server can not keep us paging forever. */
const MAX_PATIENTS = 5_000;

const entriesOf = (body: unknown): NonNullable<Bundle['entry']> => (body as Bundle | undefined)?.entry ?? [];
const idFrom = (reference: string | undefined, type: string): string | undefined =>
  reference?.startsWith(`${type}/`) ? reference.slice(type.length + 1).split('/')[0] : undefined;

export interface TodayRow {
  patientId: string;
  appointment: FhirResource;
}

/**
 * The two worklists as the journal has them now. A list is undefined when the journal did not
 * answer for it (unreachable, refused): the stored one is then kept as it was, never emptied.
 */
export interface Worklists {
  /** Today's appointments, one row per patient of each, by start time. */
  today?: TodayRow[];
  /** Patients whose regular GP is one of the clinician's roles, by family name then given name. */
  gpList?: string[];
}

const startOf = (appointment: FhirResource): string => (typeof appointment['start'] === 'string' ? appointment['start'] : '');
const instant = (text: string): number => {
  const t = Date.parse(text);
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
};

/** Family, then given names: how a GP list is read. Folding is the locale's (nb: æ ø å last). */
const nameKey = (patient: FhirResource): [string, string] => {
  const name = (patient['name'] as { family?: string; given?: string[] }[] | undefined)?.[0];
  return [name?.family ?? '', (name?.given ?? []).join(' ')];
};
const collator = new Intl.Collator('nb', { sensitivity: 'base' });

/**
 * The patients this clinician will most likely open today, to show as worklists and to fetch
 * before they are asked for: today's appointments and the GP list. The emergency-centre queue
 * joins when the triage board has its resource.
 */
export const fetchWorklists = async (client: JournalClient, hpr: string, today: string): Promise<Worklists> => {
  const practitioners = await client.search('Practitioner', { identifier: `${HPR_SYSTEM}|${hpr}` });
  if (practitioners.kind !== 'ok') {
    return {};
  }
  const practitionerId = entriesOf(practitioners.body)[0]?.resource?.id;
  if (!practitionerId) {
    // The journal answered: this clinician has no appointments and no list there.
    return { today: [], gpList: [] };
  }
  const lists: Worklists = {};
  const appointments = await client.search('Appointment', { practitioner: `Practitioner/${practitionerId}`, date: today, _count: String(PAGE) });
  if (appointments.kind === 'ok') {
    const rows: TodayRow[] = [];
    for (const entry of entriesOf(appointments.body)) {
      const appointment = entry.resource as FhirResource | undefined;
      if (appointment?.resourceType !== 'Appointment') {
        continue;
      }
      const participants = (appointment['participant'] as { actor?: { reference?: string } }[] | undefined) ?? [];
      for (const participant of participants) {
        const id = idFrom(participant.actor?.reference, 'Patient');
        if (id) {
          rows.push({ patientId: id, appointment });
        }
      }
    }
    // Stable: two patients of one appointment keep the appointment's order.
    lists.today = rows.sort((a, b) => instant(startOf(a.appointment)) - instant(startOf(b.appointment)));
  }
  const roles = await client.search('PractitionerRole', { practitioner: `Practitioner/${practitionerId}` });
  if (roles.kind !== 'ok') {
    return lists;
  }
  const found = new Map<string, [string, string]>();
  for (const role of entriesOf(roles.body)) {
    for (let offset = 0; found.size < MAX_PATIENTS; offset += PAGE) {
      const page = await client.search('Patient', {
        'general-practitioner': `PractitionerRole/${role.resource?.id ?? ''}`,
        _count: String(PAGE),
        ...(offset > 0 ? { _offset: String(offset) } : {}),
      });
      if (page.kind !== 'ok') {
        // Half a list shown as the list would hide patients: keep the stored one instead.
        return lists;
      }
      const patients = entriesOf(page.body);
      const before = found.size;
      for (const entry of patients) {
        const patient = entry.resource as FhirResource | undefined;
        if (patient?.resourceType === 'Patient' && patient.id) {
          found.set(patient.id, nameKey(patient));
        }
      }
      // A short page is the last; a page with nothing new means the server ignores _offset.
      if (patients.length < PAGE || found.size === before) {
        break;
      }
    }
  }
  lists.gpList = [...found.entries()]
    .sort(([idA, [familyA, givenA]], [idB, [familyB, givenB]]) => collator.compare(familyA, familyB) || collator.compare(givenA, givenB) || idA.localeCompare(idB))
    .map(([id]) => id);
  return lists;
};

/** Patient ids of both lists without duplicates, today's first: the order the prefetch pulls them in. */
export const worklistPatientIds = (lists: Worklists): string[] => [...new Set([...(lists.today ?? []).map((row) => row.patientId), ...(lists.gpList ?? [])])];
