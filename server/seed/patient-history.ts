import { icpc2Coding } from '../../shared/terminology';
import { allergyResource, caveFlag } from './allergies';
import { YEAR_DAYS } from './calendar';
import type { ChronicCase } from './health-profile';
import { drawHealthProfile } from './health-profile';
import { planHistory } from './history-events';
import { planHospitalStays } from './hospital-stays';
import { PatientHistoryWriter } from './history-writer';
import { uuidFrom } from './ids';
import type { Medication } from './medications';
import { WARFARIN_ATC } from './medications';
import type { Directory } from './organisation';
import { drawPerson, patientResource } from './patient';
import type { PatientResource } from './patient-resource';
import { conditionResource, medicationStatementResource } from './problem-list';
import type { Random } from './random';

export interface PatientInput {
  /** decides the content */
  readonly random: Random;
  /** decides the ids, and nothing else */
  readonly ids: Random;
  /** decide the patient's hospital stays and their ids: streams of their own (see population.ts) */
  readonly hospitalRandom: Random;
  readonly hospitalIds: Random;
  readonly directory: Directory;
  readonly today: number;
  /** synthetic national ids already given out in this population */
  readonly nationalIds: Set<string>;
}

/** Medicines taken for several problems (a statin for angina and for cholesterol) are listed once. */
const medicationList = (chronic: ReadonlyArray<ChronicCase>) => {
  const byAtc = new Map<string, { medication: Medication; cases: ChronicCase[] }>();
  for (const found of chronic) {
    for (const medication of found.medications) {
      const entry = byAtc.get(medication.atc);
      if (entry === undefined) {
        byAtc.set(medication.atc, { medication, cases: [found] });
      } else {
        entry.cases.push(found);
      }
    }
  }
  return [...byAtc.values()];
};

/**
 * One patient's batch: the Patient, their problem list, allergies, critical information and
 * medications, then their history in time order (history-events plans it, history-writer writes
 * it). Every resource comes after the resources it refers to, so a store can write the batch
 * front to back with its references checked. About 30 resources on average (measured over
 * 5,000-patient populations with three seeds: 30.3-31.3); population.test.ts keeps it in 20-60.
 */
export const generatePatientBatch = ({ random, ids, hospitalRandom, hospitalIds, directory, today, nationalIds }: PatientInput): PatientResource[] => {
  const newId = () => uuidFrom(ids);
  const lastDay = today - 1;
  const gp = random.pick(directory.gps);
  const office = directory.offices.find((candidate) => candidate.id === gp.officeId);
  if (office === undefined) {
    throw new RangeError('GP without an office');
  }
  const person = drawPerson(random, today, nationalIds);
  const patientId = newId();
  const resources: PatientResource[] = [patientResource(random, patientId, person, gp)];

  const historyYears = random.chance(0.4) ? 15 : random.float(0, 15);
  const firstDay = Math.max(person.birthDay, today - Math.round(historyYears * YEAR_DAYS));
  const profile = drawHealthProfile(random, { gender: person.gender, birthDay: person.birthDay, today, firstDay, lastDay });

  const conditionIds = new Map<ChronicCase, string>();
  for (const found of profile.chronic) {
    const id = newId();
    conditionIds.set(found, id);
    resources.push(
      conditionResource({
        id,
        patientId,
        coding: icpc2Coding(found.problem.icpc2),
        onsetDay: found.onsetDay,
        recordedDay: Math.min(lastDay, Math.max(found.onsetDay, firstDay)),
        recorderId: gp.practitionerId,
        resolvedDay: found.resolvedDay,
      }),
    );
  }

  for (const allergy of profile.allergies) {
    resources.push(allergyResource(newId(), patientId, gp.practitionerId, allergy));
    if (allergy.reaction.critical) {
      resources.push(
        caveFlag({
          id: newId(),
          patientId,
          authorId: gp.practitionerId,
          category: allergy.kind.category === 'medication' ? 'drug' : 'clinical',
          text: `${allergy.kind.text} – ${allergy.reaction.manifestation.toLowerCase()}`,
          fromDay: allergy.recordedDay,
        }),
      );
    }
  }

  for (const { medication, cases } of medicationList(profile.chronic)) {
    const startDay = Math.min(...cases.map((found) => found.treatedFromDay));
    const resolved = cases.every((found) => found.resolvedDay !== undefined);
    const endDay = resolved ? Math.max(...cases.map((found) => found.resolvedDay ?? lastDay)) : undefined;
    resources.push(
      medicationStatementResource({
        id: newId(),
        patientId,
        medication,
        startDay,
        endDay,
        conditionIds: cases.map((found) => conditionIds.get(found) ?? ''),
        informationSourceId: gp.practitionerId,
      }),
    );
    if (medication.atc === WARFARIN_ATC && endDay === undefined) {
      resources.push(
        caveFlag({
          id: newId(),
          patientId,
          authorId: gp.practitionerId,
          category: 'drug',
          text: 'Warfarinbehandling (Marevan), INR-mål 2,0–3,0. Blødningsfare.',
          fromDay: startDay,
        }),
      );
    }
  }

  const history = new PatientHistoryWriter(
    random,
    newId,
    resources,
    { patientId, person, gp, office, directory, profile, conditionIds },
    { random: hospitalRandom, newId: () => uuidFrom(hospitalIds) },
  );
  const events = planHistory(random, person, profile.chronic, firstDay, lastDay);
  const stays = planHospitalStays(hospitalRandom, person, profile.chronic, { firstDay, lastDay, busyDays: new Set(events.map((event) => event.day)) });
  // A stable sort: the planned events keep their order among themselves.
  for (const event of [...events, ...stays].sort((a, b) => a.start - b.start)) {
    history.write(event);
  }
  return resources;
};
