import type { Bundle } from 'fhir/r4';
import { HPR_SYSTEM } from '../../../shared/fhir/identifier-systems';
import type { JournalClient } from './journal-client';

const PAGE = 500;
/** Enough for the largest GP lists (about 2,500) with room; a runaway server can not keep us paging forever. */
const MAX_PATIENTS = 5_000;

const entriesOf = (body: unknown): NonNullable<Bundle['entry']> => (body as Bundle | undefined)?.entry ?? [];
const idFrom = (reference: string | undefined, type: string): string | undefined =>
  reference?.startsWith(`${type}/`) ? reference.slice(type.length + 1).split('/')[0] : undefined;

/**
 * The patients this clinician will most likely open today, to fetch before they are asked for:
 * today's appointments first, then the GP list (patients whose regular GP is one of the
 * clinician's roles). The emergency-centre queue joins when the triage board has its resource.
 * Returns patient ids without duplicates, in that order; an unreachable journal gives [].
 */
export const worklistPatients = async (client: JournalClient, hpr: string, today: string): Promise<string[]> => {
  const found = new Set<string>();
  const practitioners = await client.search('Practitioner', { identifier: `${HPR_SYSTEM}|${hpr}` });
  const practitionerId = practitioners.kind === 'ok' ? entriesOf(practitioners.body)[0]?.resource?.id : undefined;
  if (!practitionerId) {
    return [];
  }
  const appointments = await client.search('Appointment', { practitioner: `Practitioner/${practitionerId}`, date: today, _count: String(PAGE) });
  if (appointments.kind === 'ok') {
    for (const entry of entriesOf(appointments.body)) {
      const participants = (entry.resource as { participant?: { actor?: { reference?: string } }[] } | undefined)?.participant ?? [];
      for (const participant of participants) {
        const id = idFrom(participant.actor?.reference, 'Patient');
        if (id) {
          found.add(id);
        }
      }
    }
  }
  const roles = await client.search('PractitionerRole', { practitioner: `Practitioner/${practitionerId}` });
  for (const role of roles.kind === 'ok' ? entriesOf(roles.body) : []) {
    for (let offset = 0; found.size < MAX_PATIENTS; offset += PAGE) {
      const page = await client.search('Patient', {
        'general-practitioner': `PractitionerRole/${role.resource?.id ?? ''}`,
        _count: String(PAGE),
        ...(offset > 0 ? { _offset: String(offset) } : {}),
      });
      const patients = page.kind === 'ok' ? entriesOf(page.body) : [];
      const before = found.size;
      for (const patient of patients) {
        if (patient.resource?.id) {
          found.add(patient.resource.id);
        }
      }
      // A short page is the last; a page with nothing new means the server ignores _offset.
      if (patients.length < PAGE || found.size === before) {
        break;
      }
    }
  }
  return [...found];
};
