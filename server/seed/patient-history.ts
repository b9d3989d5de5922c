import type {
  AllergyIntolerance,
  Composition,
  Condition,
  Encounter,
  Flag,
  MedicationStatement,
  Observation,
  Patient,
} from 'fhir/r4';
import { icpc2Coding } from '../../shared/terminology';
import type { AcuteProblem } from './acute-problems';
import { ACUTE_PROBLEMS } from './acute-problems';
import { acuteNote } from './acute-notes';
import type { AgeTable } from './age-table';
import { byAge } from './age-table';
import { allergyResource, caveFlag } from './allergies';
import { MINUTE, YEAR_DAYS } from './calendar';
import { followUpNote } from './chronic-notes';
import type { FollowUpFindings } from './chronic-notes';
import { compositionResource } from './composition';
import type { TriageColour } from './encounter';
import { encounterResource } from './encounter';
import type { ChronicCase } from './health-profile';
import { drawHealthProfile } from './health-profile';
import { uuidFrom } from './ids';
import { BloodPressureCourse, crpValue, EgfrCourse, Hba1cCourse, inrValue, routineCrp } from './lab-courses';
import { LAB_KINDS } from './lab-kinds';
import type { Medication } from './medications';
import { WARFARIN_ATC } from './medications';
import type { EncounterSetting, NoteText } from './note-text';
import { bloodPressureObservation, labObservation } from './observations';
import type { Directory, Gp, GpOffice } from './organisation';
import { drawPerson, patientResource } from './patient';
import type { Person } from './patient';
import { conditionResource, medicationStatementResource } from './problem-list';
import type { Random } from './random';
import { emergencyVisitStart, nearestWeekday, officeVisitStart, sampleTakingStart, weekdayBetween } from './schedule';

/**
 * One patient's batch: the Patient, their problem list, allergies, critical information and
 * medications, then their history in time order (visits with their measurements and signed
 * note, and INR samples between visits). Every resource comes after the resources it refers to,
 * so a store can write the batch front to back with its references checked.
 *
 * Size: the history window is 0-15 years (four in ten patients have the full 15), and contacts
 * per year follow age, so most young patients have a handful of visits while the old and
 * chronically ill have many. Caps keep the worst case near 200 resources; the average is about
 * 30 (measured over 20,000 patients; see population.test.ts).
 */
export type PatientResource =
  | Patient
  | Condition
  | AllergyIntolerance
  | Flag
  | MedicationStatement
  | Encounter
  | Observation
  | Composition;

/** most recent follow-up visits kept per patient */
export const MAX_FOLLOW_UPS = 24;
/** one-off contacts per patient at most */
export const MAX_ACUTE_CONTACTS = 20;
/** INR is followed for the last two years of warfarin use */
const INR_HISTORY_DAYS = Math.round(2 * YEAR_DAYS);

/** one-off contacts a year worth a note in this data set, by age */
const ACUTE_CONTACTS_PER_YEAR: AgeTable = [[0, 1], [6, 0.45], [18, 0.5], [45, 0.6], [65, 0.8], [80, 1]];

interface FollowUpEvent {
  readonly kind: 'follow-up';
  readonly day: number;
  readonly cases: ReadonlyArray<ChronicCase>;
}

interface AcuteEvent {
  readonly kind: 'acute';
  readonly day: number;
  readonly problem: AcuteProblem;
  readonly setting: EncounterSetting;
}

interface InrEvent {
  readonly kind: 'inr';
  readonly day: number;
}

type HistoryEvent = FollowUpEvent | AcuteEvent | InrEvent;

export interface PatientInput {
  /** decides the content */
  readonly random: Random;
  /** decides the ids, and nothing else */
  readonly ids: Random;
  readonly directory: Directory;
  readonly today: number;
  /** synthetic national ids already given out in this population */
  readonly nationalIds: Set<string>;
}

const ageOn = (person: Person, day: number): number => (day - person.birthDay) / YEAR_DAYS;

const followUpEvents = (
  random: Random,
  chronic: ReadonlyArray<ChronicCase>,
  firstDay: number,
  lastDay: number,
): FollowUpEvent[] => {
  const followed = chronic.filter((found) => (found.resolvedDay ?? lastDay) >= firstDay);
  if (followed.length === 0) {
    return [];
  }
  const rate = Math.max(...followed.map((found) => found.problem.followUpsPerYear)) + 0.25 * (followed.length - 1);
  const interval = YEAR_DAYS / rate;
  const events: FollowUpEvent[] = [];
  let day = Math.max(firstDay, Math.min(...followed.map((found) => found.onsetDay))) + random.int(0, Math.round(interval));
  while (day <= lastDay) {
    const visitDay = nearestWeekday(day, firstDay, lastDay);
    const current = followed
      .filter((found) => found.onsetDay <= visitDay && (found.resolvedDay ?? lastDay) >= visitDay)
      .sort((a, b) => b.problem.followUpsPerYear - a.problem.followUpsPerYear);
    const [main, ...others] = current;
    if (main !== undefined) {
      const cases = [main, ...others.filter((found) => random.chance(found.problem.followUpsPerYear / rate))];
      events.push({ kind: 'follow-up', day: visitDay, cases });
    }
    day += Math.max(28, Math.round(interval * random.float(0.75, 1.25)));
  }
  return events.slice(-MAX_FOLLOW_UPS);
};

const acuteEvents = (random: Random, person: Person, firstDay: number, lastDay: number): AcuteEvent[] => {
  if (firstDay > lastDay) {
    return [];
  }
  const years = (lastDay - firstDay + 1) / YEAR_DAYS;
  const midAge = ageOn(person, (firstDay + lastDay) / 2);
  const womenAdultFactor = person.gender === 'female' && midAge >= 18 && midAge < 65 ? 1.4 : 1;
  const count = Math.min(MAX_ACUTE_CONTACTS, random.poisson(byAge(ACUTE_CONTACTS_PER_YEAR, midAge) * womenAdultFactor * years));
  const events: AcuteEvent[] = [];
  for (let i = 0; i < count; i += 1) {
    const anyDay = random.int(firstDay, lastDay);
    const age = ageOn(person, anyDay);
    const candidates = ACUTE_PROBLEMS.map(
      (problem) => [problem, byAge(problem.weight, age) * (problem.genderFactor?.[person.gender] ?? 1)] as const,
    ).filter(([, weight]) => weight > 0);
    if (candidates.length === 0) {
      continue;
    }
    const problem = random.weighted(candidates);
    const setting: EncounterSetting = random.chance(problem.emergencyShare)
      ? 'emergency'
      : age >= 16 && random.chance(problem.remoteShare)
        ? 'e-consultation'
        : 'gp';
    // The emergency centre is open every day; offices only on weekdays.
    const day = setting === 'emergency' ? anyDay : nearestWeekday(anyDay, firstDay, lastDay);
    events.push({ kind: 'acute', day, problem, setting });
  }
  return events;
};

const inrEvents = (random: Random, chronic: ReadonlyArray<ChronicCase>, firstDay: number, lastDay: number): InrEvent[] => {
  const onWarfarin = chronic.find((found) => found.medications.some((medication) => medication.atc === WARFARIN_ATC));
  if (onWarfarin === undefined) {
    return [];
  }
  const events: InrEvent[] = [];
  let day = Math.max(firstDay, onWarfarin.treatedFromDay + 7, lastDay - INR_HISTORY_DAYS);
  while (day <= lastDay) {
    events.push({ kind: 'inr', day: weekdayBetween(random, day, Math.min(lastDay, day + 2)) });
    day += random.int(35, 49);
  }
  return events;
};

const TRIAGE_USUAL: ReadonlyArray<readonly [TriageColour, number]> = [['yellow', 0.25], ['green', 0.55], ['blue', 0.2]];
const TRIAGE_SERIOUS: ReadonlyArray<readonly [TriageColour, number]> = [['red', 0.02], ['orange', 0.3], ['yellow', 0.58], ['green', 0.1]];

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

export const generatePatientBatch = ({ random, ids, directory, today, nationalIds }: PatientInput): PatientResource[] => {
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

  const events: HistoryEvent[] = [
    ...followUpEvents(random, profile.chronic, firstDay, lastDay),
    ...acuteEvents(random, person, firstDay, lastDay),
    ...inrEvents(random, profile.chronic, firstDay, lastDay),
  ].sort((a, b) => a.day - b.day);

  const history = new PatientHistoryWriter(random, newId, resources, { patientId, person, gp, office, directory, profile, conditionIds });
  for (const event of events) {
    history.write(event);
  }
  return resources;
};

interface WriterContext {
  readonly patientId: string;
  readonly person: Person;
  readonly gp: Gp;
  readonly office: GpOffice;
  readonly directory: Directory;
  readonly profile: ReturnType<typeof drawHealthProfile>;
  readonly conditionIds: ReadonlyMap<ChronicCase, string>;
}

interface SignedVisit {
  readonly encounterId: string;
  readonly authorId: string;
  readonly custodianId: string;
  readonly setting: EncounterSetting;
  readonly end: number;
  readonly title: string;
  readonly note: NoteText;
  readonly observations: ReadonlyArray<Observation>;
}

/** Turns events, in time order, into resources; keeps the lab courses that make series trend. */
class PatientHistoryWriter {
  private readonly hba1c = new Map<ChronicCase, Hba1cCourse>();
  private readonly egfr: EgfrCourse;
  private readonly bloodPressure: BloodPressureCourse;
  private lastEgfrDay = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly random: Random,
    private readonly newId: () => string,
    private readonly resources: PatientResource[],
    private readonly context: WriterContext,
  ) {
    const has = (key: string) => context.profile.chronic.some((found) => found.problem.key === key);
    const hypertension = context.profile.chronic.find((found) => found.problem.key === 'hypertension');
    this.egfr = new EgfrCourse(random, context.person.birthDay, {
      diabetes: has('diabetes-2') || has('diabetes-1'),
      hypertension: hypertension !== undefined,
      heartFailure: has('heart-failure'),
    });
    this.bloodPressure = new BloodPressureCourse(random, context.person.birthDay, hypertension?.onsetDay);
  }

  write(event: HistoryEvent): void {
    switch (event.kind) {
      case 'follow-up':
        return this.followUp(event);
      case 'acute':
        return this.acute(event);
      case 'inr':
        return this.inr(event);
    }
  }

  private observationInput(encounterId: string | undefined, instant: number) {
    return { id: this.newId(), patientId: this.context.patientId, encounterId, instant };
  }

  private office(): Gp {
    // Most visits are with one's own GP; now and then with a colleague at the office.
    return this.random.chance(0.88) ? this.context.gp : this.random.pick(this.context.office.gps);
  }

  private followUp({ day, cases }: FollowUpEvent): void {
    const { patientId, person, conditionIds } = this.context;
    const physician = this.office();
    const encounterId = this.newId();
    const start = officeVisitStart(this.random, day);
    const end = start + 20 * MINUTE;
    const sampled = start + 5 * MINUTE;
    const labs = new Set(cases.flatMap((found) => found.problem.labs));
    const age = (day - person.birthDay) / YEAR_DAYS;
    const observations: Observation[] = [];
    const findings: { -readonly [K in keyof FollowUpFindings]: FollowUpFindings[K] } = {};

    if (labs.has('blood-pressure')) {
      findings.bloodPressure = this.bloodPressure.valueAt(day);
      observations.push(bloodPressureObservation(this.observationInput(encounterId, sampled), findings.bloodPressure));
    }
    const diabetes = cases.find((found) => found.problem.labs.includes('hba1c'));
    if (diabetes !== undefined) {
      const course = this.hba1cCourse(diabetes);
      const previous = course.previous;
      const value = course.valueAt(day);
      findings.hba1c = { value, previous };
      observations.push(labObservation(this.observationInput(encounterId, sampled), LAB_KINDS.hba1c, value));
    }
    const yearly = (labs.has('egfr-yearly') || age >= 75) && day - this.lastEgfrDay >= 300;
    if (labs.has('egfr') || yearly) {
      findings.egfr = this.egfr.valueAt(day);
      this.lastEgfrDay = day;
      observations.push(labObservation(this.observationInput(encounterId, sampled), LAB_KINDS.egfr, findings.egfr));
    }
    if (this.random.chance(0.15)) {
      observations.push(labObservation(this.observationInput(encounterId, sampled), LAB_KINDS.crp, routineCrp(this.random)));
    }

    const reasons = cases.map((found) => icpc2Coding(found.problem.icpc2));
    this.resources.push(
      encounterResource({
        id: encounterId,
        patientId,
        setting: 'gp',
        start,
        end,
        physicianId: physician.practitionerId,
        organisationId: this.context.office.id,
        reasons,
        conditionIds: cases.map((found) => conditionIds.get(found) ?? ''),
      }),
      ...observations,
    );
    const note = followUpNote(
      cases.map((found) => ({ key: found.problem.key, medications: found.medications })),
      { random: this.random, age, findings },
    );
    this.sign({
      encounterId,
      authorId: physician.practitionerId,
      custodianId: this.context.office.id,
      setting: 'gp',
      end,
      title: `Kontroll: ${reasons.map((coding) => coding.display).join(', ')}`,
      note,
      observations,
    });
  }

  private acute({ day, problem, setting }: AcuteEvent): void {
    const { patientId, person, directory, profile } = this.context;
    const emergency = setting === 'emergency';
    const physician = emergency ? this.random.pick(directory.emergencyCentre.physicians) : this.office();
    const organisationId = emergency ? directory.emergencyCentre.id : this.context.office.id;
    const encounterId = this.newId();
    const start = emergency ? emergencyVisitStart(this.random, day) : officeVisitStart(this.random, day);
    const minutes = setting === 'emergency' ? this.random.int(30, 75) : setting === 'gp' ? 20 : 10;
    const end = start + minutes * MINUTE;
    const crp =
      problem.crp !== undefined && setting !== 'e-consultation' && this.random.chance(0.75)
        ? crpValue(this.random, problem.crp)
        : undefined;
    const observations =
      crp === undefined
        ? []
        : [labObservation(this.observationInput(encounterId, start + 10 * MINUTE), LAB_KINDS.crp, crp)];
    const reason = icpc2Coding(problem.icpc2);
    this.resources.push(
      encounterResource({
        id: encounterId,
        patientId,
        setting,
        start,
        end,
        physicianId: physician.practitionerId,
        ...(emergency ? { nurseId: this.random.pick(directory.emergencyCentre.nurses).practitionerId } : {}),
        organisationId,
        reasons: [reason],
        conditionIds: [],
        ...(emergency ? { triage: this.random.weighted(problem.key === 'pneumonia' ? TRIAGE_SERIOUS : TRIAGE_USUAL) } : {}),
      }),
      ...observations,
    );
    const note = acuteNote(problem.key, {
      random: this.random,
      age: (day - person.birthDay) / YEAR_DAYS,
      gender: person.gender,
      setting,
      symptomDays: this.random.int(problem.symptomDays[0], problem.symptomDays[1]),
      crp,
      penicillinAllergy: profile.allergies.some((allergy) => allergy.kind.key === 'penicillin' && allergy.recordedDay <= day),
    });
    const title = { gp: 'Konsultasjon', emergency: 'Legevakt', 'e-consultation': 'E-konsultasjon' }[setting];
    this.sign({
      encounterId,
      authorId: physician.practitionerId,
      custodianId: organisationId,
      setting,
      end,
      title: `${title}: ${reason.display}`,
      note,
      observations,
    });
  }

  private inr({ day }: InrEvent): void {
    this.resources.push(
      labObservation(this.observationInput(undefined, sampleTakingStart(this.random, day)), LAB_KINDS.inr, inrValue(this.random)),
    );
  }

  private hba1cCourse(diabetes: ChronicCase): Hba1cCourse {
    let course = this.hba1c.get(diabetes);
    if (course === undefined) {
      course = new Hba1cCourse(this.random, diabetes.onsetDay, diabetes.problem.key === 'diabetes-1');
      this.hba1c.set(diabetes, course);
    }
    return course;
  }

  /** The signed note: written at the end of the visit and signed a few minutes later. */
  private sign(visit: SignedVisit): void {
    this.resources.push(
      compositionResource({
        id: this.newId(),
        patientId: this.context.patientId,
        encounterId: visit.encounterId,
        authorId: visit.authorId,
        custodianId: visit.custodianId,
        setting: visit.setting,
        signedAt: visit.end + this.random.int(2, 25) * MINUTE,
        title: visit.title,
        note: visit.note,
        observationIds: visit.observations.map((observation) => observation.id ?? ''),
      }),
    );
  }
}
