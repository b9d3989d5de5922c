import type { FhirResource } from '../../electron/core/cache';
import { dayOf } from '../../server/seed/calendar';
import { uuidFrom } from '../../server/seed/ids';
import { drawPerson, patientResource } from '../../server/seed/patient';
import { organisationOf } from '../../server/seed/population';
import { Random } from '../../server/seed/random';

export interface SyntheticPatient {
  resource: FhirResource;
  family: string;
  given: string;
  nationalId: string;
}

/**
 * Patients only (demographics, no history), drawn with the seed generator's own name, national id
 * and address draws, for filling a cache with a municipality's worth of searchable patients fast.
 */
export function* syntheticPatients(count: number, seed: number, now: Date): Generator<SyntheticPatient, void, undefined> {
  const today = dayOf(now.getTime());
  const { directory } = organisationOf(count, seed);
  const nationalIds = new Set<string>();
  const lastUpdated = now.toISOString();
  for (let index = 0; index < count; index += 1) {
    const random = new Random(seed, 2 + 2 * index);
    const id = uuidFrom(new Random(seed, 3 + 2 * index));
    const gp = directory.gps[index % directory.gps.length];
    if (!gp) {
      throw new RangeError('no GP in the directory');
    }
    const person = drawPerson(random, today, nationalIds);
    const patient = patientResource(random, id, person, gp);
    yield {
      resource: { ...patient, meta: { versionId: '1', lastUpdated } },
      family: person.name.family,
      given: person.name.given[0] ?? '',
      nationalId: person.nationalId,
    };
  }
}
