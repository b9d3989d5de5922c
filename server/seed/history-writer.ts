import type { Observation } from 'fhir/r4';
import { icpc2Coding } from '../../shared/terminology';
import { acuteNote } from './acute-notes';
import { DAY, MINUTE, YEAR_DAYS } from './calendar';
import { followUpNote } from './chronic-notes';
import type { FollowUpFindings } from './chronic-notes';
import { compositionResource } from './composition';
import type { TriageColour } from './encounter';
import { dischargeDocumentReference, dischargeLetterResource } from './discharge-letter';
import { encounterResource, inpatientEncounterResource } from './encounter';
import type { ChronicCase, HealthProfile } from './health-profile';
import type { AcuteEvent, FollowUpEvent, HistoryEvent, InrEvent } from './history-events';
import { HOSPITAL_DEPARTMENTS } from './hospital';
import type { HospitalStayEvent } from './hospital-stays';
import { dischargeText, mainDiagnosis } from './hospital-stays';
import type { StayLabs } from './hospital-stays';
import { BloodPressureCourse, creatinineFor, crpValue, EgfrCourse, Hba1cCourse, inrValue, routineCrp } from './lab-courses';
import { LAB_KINDS, SEXED_LAB_KINDS } from './lab-kinds';
import type { Medication } from './medications';
import type { EncounterSetting, NoteText } from './note-text';
import { bloodPressureObservation, labObservation } from './observations';
import type { Directory, Gp, GpOffice } from './organisation';
import type { Person } from './patient';
import type { PatientResource } from './patient-resource';
import type { Random } from './random';

// Triage at the emergency centre: the GP-type problems seen there are mostly green or yellow.
const TRIAGE_USUAL: ReadonlyArray<readonly [TriageColour, number]> = [['yellow', 0.25], ['green', 0.55], ['blue', 0.2]];
const TRIAGE_SERIOUS: ReadonlyArray<readonly [TriageColour, number]> = [['red', 0.02], ['orange', 0.3], ['yellow', 0.58], ['green', 0.1]];

export interface WriterContext {
  readonly patientId: string;
  readonly person: Person;
  readonly gp: Gp;
  readonly office: GpOffice;
  readonly directory: Directory;
  readonly profile: HealthProfile;
  readonly conditionIds: ReadonlyMap<ChronicCase, string>;
}

/** Where hospital stays draw from: streams of their own, so a stay leaves the rest of the history as it was. */
export interface HospitalStreams {
  readonly random: Random;
  readonly newId: () => string;
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

/**
 * Turns a patient's planned events, in time order, into resources: each visit as its Encounter,
 * the Observations measured at it and the signed note, in that order so that every reference
 * points backwards; INR samples as Observations on their own. It keeps the lab courses, so each
 * series trends like one person's.
 */
export class PatientHistoryWriter {
  private readonly hba1c = new Map<ChronicCase, Hba1cCourse>();
  private readonly egfr: EgfrCourse;
  private readonly bloodPressure: BloodPressureCourse;
  private lastEgfrDay = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly random: Random,
    private readonly newId: () => string,
    private readonly resources: PatientResource[],
    private readonly context: WriterContext,
    private readonly hospitalStreams: HospitalStreams,
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

  write(event: HistoryEvent | HospitalStayEvent): void {
    switch (event.kind) {
      case 'hospital':
        return this.hospitalStay(event);
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

  private officeGp(): Gp {
    // Most visits are with one's own GP; now and then with a colleague at the office.
    return this.random.chance(0.88) ? this.context.gp : this.random.pick(this.context.office.gps);
  }

  private followUp({ day, start, cases }: FollowUpEvent): void {
    const { patientId, person, conditionIds } = this.context;
    const physician = this.officeGp();
    const encounterId = this.newId();
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
    if (this.random.chance(0.2)) {
      findings.crp = routineCrp(this.random);
      observations.push(labObservation(this.observationInput(encounterId, sampled), LAB_KINDS.crp, findings.crp));
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

  private acute({ day, start, problem, setting }: AcuteEvent): void {
    const { patientId, person, directory, profile } = this.context;
    const emergency = setting === 'emergency';
    const physician = emergency ? this.random.pick(directory.emergencyCentre.physicians) : this.officeGp();
    const organisationId = emergency ? directory.emergencyCentre.id : this.context.office.id;
    const encounterId = this.newId();
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

  /** An INR sample taken by the office nurse between visits, outside any consultation. */
  private inr({ start }: InrEvent): void {
    const nurse = this.random.pick(this.context.office.nurses);
    const input = { ...this.observationInput(undefined, start), performerId: nurse.practitionerId };
    this.resources.push(labObservation(input, LAB_KINDS.inr, inrValue(this.random)));
  }

  /**
   * A hospital stay: the inpatient Encounter, the hospital laboratory's results (CRP, Hb,
   * creatinine and eGFR at admission, the next morning, mid-stay and on the morning of
   * discharge), the discharge letter and its DocumentReference. eGFR starts from the patient's own
   * course, dips with the acute illness and recovers; creatinine is the value that gives that eGFR.
   */
  private hospitalStay(stay: HospitalStayEvent): void {
    const { random, newId } = this.hospitalStreams;
    const { patientId, person, directory, profile } = this.context;
    const { hospital } = directory;
    const kind = stay.admission;
    const physician = random.pick(hospital.physicians.filter((candidate) => candidate.department === kind.department));
    const department = HOSPITAL_DEPARTMENTS[kind.department];
    const encounterId = newId();
    const stayDays = stay.dischargeDay - stay.day;
    const age = (stay.day - person.birthDay) / YEAR_DAYS;
    const sex = person.gender;
    this.resources.push(
      inpatientEncounterResource({
        id: encounterId,
        patientId,
        admitted: stay.start,
        discharged: stay.discharge,
        physicianId: physician.practitionerId,
        hospitalId: hospital.id,
        department,
        reason: mainDiagnosis(kind),
      }),
    );

    const crpAtAdmission = random.int(kind.crp[0], kind.crp[1]);
    const egfrUsual = this.egfr.valueAt(stay.day, random);
    const dip = random.float(kind.egfrDip[0], kind.egfrDip[1]);
    const hbUsual = random.normal(sex === 'female' ? 13.3 : 14.6, 0.8) - (age >= 75 ? 0.6 : 0);
    const hbDrop = random.float(kind.hbDrop[0], kind.hbDrop[1]);
    const sampleDays = [...new Set([0, 1, Math.round(stayDays / 2), stayDays])].sort((a, b) => a - b);
    const observations: Observation[] = [];
    const series = { crp: [] as number[], egfr: [] as number[], creatinine: [] as number[], hb: [] as number[] };
    for (const offset of sampleDays) {
      // On admission in the emergency department; afterwards with the morning round's samples.
      const instant = offset === 0 ? stay.start + 45 * MINUTE : (stay.day + offset) * DAY + random.int(5 * 12, 6 * 12 + 6) * 5 * MINUTE;
      const crp = Math.max(
        1,
        Math.round(
          kind.infection
            ? offset === 0
              ? crpAtAdmission
              : crpAtAdmission * random.float(1, 1.35) * 0.55 ** (offset - 1)
            : crpAtAdmission * 0.8 ** offset,
        ),
      );
      const egfr = Math.round(Math.min(130, Math.max(8, egfrUsual * (1 - dip * (1 - (0.8 * offset) / Math.max(1, stayDays))))));
      const creatinine = creatinineFor(egfr, age, sex);
      const hb = Math.round(Math.max(6, hbUsual - (offset === 0 ? 0 : hbDrop * (offset === 1 ? 1 : 0.85)) + random.normal(0, 0.2)) * 10) / 10;
      const input = () => ({ id: newId(), patientId, encounterId, instant, performerId: physician.practitionerId, organisationId: hospital.id });
      observations.push(
        labObservation(input(), LAB_KINDS.crp, crp),
        labObservation(input(), SEXED_LAB_KINDS.haemoglobin[sex], hb),
        labObservation(input(), SEXED_LAB_KINDS.creatinine[sex], creatinine),
        labObservation(input(), LAB_KINDS.egfr, egfr),
      );
      series.crp.push(crp);
      series.egfr.push(egfr);
      series.creatinine.push(creatinine);
      series.hb.push(hb);
    }
    this.resources.push(...observations);

    const last = <T>(values: T[]): T => {
      const value = values.at(-1);
      if (value === undefined) {
        throw new RangeError('a stay without samples');
      }
      return value;
    };
    const labs: StayLabs = {
      crpIn: series.crp[0] ?? last(series.crp),
      crpOut: last(series.crp),
      egfrIn: series.egfr[0] ?? last(series.egfr),
      egfrOut: last(series.egfr),
      creatinineOut: last(series.creatinine),
      hbLowest: Math.min(...series.hb),
      hbOut: last(series.hb),
    };
    const active = profile.chronic.filter((found) => found.onsetDay <= stay.day && (found.resolvedDay ?? Number.POSITIVE_INFINITY) > stay.day);
    const medications = new Map<string, Medication>();
    for (const found of active.filter((candidate) => candidate.treatedFromDay <= stay.day)) {
      found.medications.forEach((medication) => medications.set(medication.atc, medication));
    }
    const text = dischargeText(kind, {
      random,
      age,
      gender: sex,
      stayDays,
      dischargeDay: stay.dischargeDay,
      labs,
      medications: [...medications.values()],
      chronic: [...new Set(active.map((found) => found.problem.key))],
      penicillinAllergy: profile.allergies.some((allergy) => allergy.kind.key === 'penicillin' && allergy.recordedDay <= stay.day),
    });
    const letterInput = {
      id: newId(),
      patientId,
      encounterId,
      physicianId: physician.practitionerId,
      hospitalId: hospital.id,
      hospitalName: hospital.name,
      department,
      admitted: stay.start,
      discharged: stay.discharge,
      // Written and signed the afternoon of discharge.
      signedAt: stay.discharge + random.int(2, 8) * 30 * MINUTE,
      text,
      observationIds: observations.map((observation) => observation.id ?? ''),
    };
    const letter = dischargeLetterResource(letterInput);
    this.resources.push(letter, dischargeDocumentReference(newId(), letter, letterInput));
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
