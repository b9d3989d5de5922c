import { ICD10, ICPC2 } from '@navikt/diagnosekoder';
import { tnr } from '@navikt/fnrvalidator';
import type { Encounter, Observation, Patient, Resource } from 'fhir/r4';
import { beforeAll, describe, expect, it } from 'vitest';
import { ICD10_SYSTEM, ICPC2_SYSTEM } from '../../shared/terminology';
import { DISCHARGE_SUMMARY_LOINC } from './discharge-letter';
import { HOSPITAL_NAME, HOSPITAL_PHYSICIANS } from './hospital';
import { PATIENTS_PER_GP } from './organisation';
import type { SeedResource } from './population';
import { generatePopulation } from './population';
import { HER_ID_SYSTEM, HPR_SYSTEM, NATIONAL_ID_SYSTEM, ORGANISATION_TYPE_SYSTEM } from './systems';

const now = new Date('2026-11-28T08:15:00Z');
const PATIENTS = 2000;

const take = <T>(iterable: Iterable<T>, count: number): T[] => {
  const taken: T[] = [];
  for (const item of iterable) {
    if (taken.length === count) {
      break;
    }
    taken.push(item);
  }
  return taken;
};

/** Every `reference` string anywhere in a resource. */
const referencesIn = (value: unknown, found: string[] = []): string[] => {
  if (Array.isArray(value)) {
    value.forEach((item) => referencesIn(item, found));
  } else if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) {
      if (key === 'reference' && typeof inner === 'string') {
        found.push(inner);
      } else {
        referencesIn(inner, found);
      }
    }
  }
  return found;
};

/** Every string value anywhere in a resource, with its key. */
const stringsIn = (value: unknown, found: Array<[string, string]> = [], key = ''): Array<[string, string]> => {
  if (typeof value === 'string') {
    found.push([key, value]);
  } else if (Array.isArray(value)) {
    value.forEach((item) => stringsIn(item, found, key));
  } else if (value !== null && typeof value === 'object') {
    Object.entries(value).forEach(([inner, innerValue]) => stringsIn(innerValue, found, inner));
  }
  return found;
};

const key = (resource: Resource) => `${resource.resourceType}/${resource.id ?? ''}`;
const byType = <T extends SeedResource['resourceType']>(batch: SeedResource[], type: T) =>
  batch.filter((resource): resource is Extract<SeedResource, { resourceType: T }> => resource.resourceType === type);
const patientOf = (batch: SeedResource[]): Patient => {
  const [patient] = byType(batch, 'Patient');
  if (patient === undefined) {
    throw new Error('batch without a Patient');
  }
  return patient;
};
const ageOf = (patient: Patient) => (now.getTime() - Date.parse(patient.birthDate ?? '')) / (365.25 * 86_400_000);
const loincOf = (observation: Observation) => observation.code.coding?.[0]?.code ?? '';
const valueOf = (observation: Observation) => observation.valueQuantity?.value ?? Number.NaN;
/** The hospital laboratory's results name the hospital as a performer; the GP's do not. */
const fromHospital = (observation: Observation) => (observation.performer ?? []).some((performer) => performer.reference?.startsWith('Organization/'));
const isLetter = (composition: { type: { coding?: { code?: string }[] } }) => composition.type.coding?.[0]?.code === DISCHARGE_SUMMARY_LOINC;

describe('generatePopulation', () => {
  let organisation: SeedResource[] = [];
  let patients: SeedResource[][] = [];

  beforeAll(() => {
    [organisation = [], ...patients] = generatePopulation({ patients: PATIENTS, seed: 20261128, now });
  });

  it('yields the organisation batch first and then one batch per patient', () => {
    expect(patients).toHaveLength(PATIENTS);
    expect(organisation.every((resource) => ['Organization', 'Practitioner', 'PractitionerRole'].includes(resource.resourceType))).toBe(true);
    for (const batch of patients) {
      expect(batch[0]?.resourceType).toBe('Patient');
      expect(byType(batch, 'Patient')).toHaveLength(1);
    }
  });

  it('gives the same resources for the same options', () => {
    const options = { patients: 300, seed: 5, now };
    expect(JSON.stringify([...generatePopulation(options)])).toBe(JSON.stringify([...generatePopulation(options)]));
  });

  it('gives a different population for a different seed', () => {
    const [, first] = take(generatePopulation({ patients: 1, seed: 5, now }), 2);
    const [, second] = take(generatePopulation({ patients: 1, seed: 6, now }), 2);
    expect(first && patientOf(first).id).not.toBe(second && patientOf(second).id);
    expect(JSON.stringify(first)).not.toBe(JSON.stringify(second));
  });

  it('gives every resource a UUID id, unique across the population', () => {
    const ids = [organisation, ...patients].flat().map((resource) => resource.id ?? '');
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))).toBe(true);
  });

  it('gives every patient a unique synthetic national id that fnrvalidator accepts as Tenor, month + 80', () => {
    const seen = new Set<string>();
    for (const batch of patients) {
      const patient = patientOf(batch);
      const [identifier, ...others] = patient.identifier ?? [];
      expect(others).toHaveLength(0);
      expect(identifier?.system).toBe(NATIONAL_ID_SYSTEM);
      const id = identifier?.value ?? '';
      expect(tnr(id)).toEqual({ status: 'valid', type: 'tnr' });
      const [year, month, day] = (patient.birthDate ?? '').split('-');
      expect(id.slice(0, 6)).toBe(`${day}${Number(month) + 80}${year?.slice(2)}`);
      seen.add(id);
    }
    expect(seen.size).toBe(PATIENTS);
  });

  it('resolves every reference to an earlier resource of its batch, or to the organisation batch, of the named type', () => {
    const shared = new Set(organisation.map(key));
    const dangling = organisation.flatMap((resource) => referencesIn(resource)).filter((reference) => !shared.has(reference));
    let checked = 0;
    for (const batch of patients) {
      const earlier = new Set<string>();
      for (const resource of batch) {
        for (const reference of referencesIn(resource)) {
          checked += 1;
          if (!earlier.has(reference) && !shared.has(reference)) {
            dangling.push(`${key(resource)} -> ${reference}`);
          }
        }
        earlier.add(key(resource));
      }
    }
    expect(dangling).toEqual([]);
    expect(checked).toBeGreaterThan(PATIENTS * 30);
  });

  it('codes every Condition with a real ICPC-2 code, its library text and the Norwegian OID, and hospital stays with ICD-10', () => {
    const library = new Map(ICPC2.map((entry) => [entry.code, entry.text]));
    const icd10 = new Map(ICD10.map((entry) => [entry.code, entry.text]));
    const conditions = patients.flatMap((batch) => byType(batch, 'Condition'));
    expect(conditions.length).toBeGreaterThan(PATIENTS / 4);
    for (const condition of conditions) {
      const [coding, ...others] = condition.code?.coding ?? [];
      expect(others).toHaveLength(0);
      expect(coding?.system).toBe(ICPC2_SYSTEM);
      expect(coding?.display).toBe(library.get(coding?.code ?? ''));
      expect(condition.category?.[0]?.coding?.[0]?.code).toBe('problem-list-item');
    }
    for (const encounter of patients.flatMap((batch) => byType(batch, 'Encounter'))) {
      const inpatient = encounter.class.code === 'IMP';
      for (const reason of encounter.reasonCode ?? []) {
        expect(reason.coding?.[0]?.system).toBe(inpatient ? ICD10_SYSTEM : ICPC2_SYSTEM);
        expect((inpatient ? icd10 : library).get(reason.coding?.[0]?.code ?? '')).toBe(reason.coding?.[0]?.display);
      }
    }
  });

  it('dates nothing after now, and nothing in a patient batch before the birth date', () => {
    const today = now.toISOString().slice(0, 10);
    const isDate = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?$/;
    const wrong: string[] = [];
    let checked = 0;
    for (const batch of patients) {
      const birthDate = patientOf(batch).birthDate ?? '';
      for (const [field, value] of batch.flatMap((resource) => stringsIn(resource)).filter(([, value]) => isDate.test(value))) {
        checked += 1;
        const future = value.length === 10 ? value > today : Date.parse(value) > now.getTime();
        if (future || value.slice(0, 10) < birthDate) {
          wrong.push(`${field}: ${value} (born ${birthDate})`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBeGreaterThan(PATIENTS * 20);
  });

  it('keeps every lab series in time order, in physiological ranges, and where it belongs', () => {
    const inr: number[] = [];
    const crp: number[] = [];
    for (const batch of patients) {
      const observations = byType(batch, 'Observation');
      const series = new Map<string, Observation[]>();
      for (const observation of observations) {
        series.set(loincOf(observation), [...(series.get(loincOf(observation)) ?? []), observation]);
      }
      for (const points of series.values()) {
        const times = points.map((point) => Date.parse(point.effectiveDateTime ?? ''));
        expect(times).toEqual([...times].sort((a, b) => a - b));
      }
      const problems = new Set(byType(batch, 'Condition').map((condition) => condition.code?.coding?.[0]?.code));
      const medicines = new Set(byType(batch, 'MedicationStatement').map((statement) => statement.medicationCodeableConcept?.coding?.[0]?.code));

      const hba1c = series.get('59261-8') ?? [];
      if (hba1c.length > 0) {
        expect(problems.has('T90') || problems.has('T89')).toBe(true);
      }
      hba1c.forEach((point, i) => {
        expect(valueOf(point)).toBeGreaterThanOrEqual(38);
        expect(valueOf(point)).toBeLessThanOrEqual(110);
        const before = hba1c[i - 1];
        if (before !== undefined) {
          // HbA1c reflects 2-3 months; nobody repeats it within four weeks.
          expect(Date.parse(point.effectiveDateTime ?? '') - Date.parse(before.effectiveDateTime ?? '')).toBeGreaterThanOrEqual(28 * 86_400_000);
        }
      });
      const points = series.get('6301-6') ?? [];
      if (points.length > 0) {
        expect(medicines.has('B01AA03')).toBe(true);
      }
      inr.push(...points.map(valueOf));
      crp.push(...(series.get('1988-5') ?? []).filter((point) => !fromHospital(point)).map(valueOf));

      // The GP's trend: hospital results during an acute illness dip below it on purpose.
      const egfr = (series.get('62238-1') ?? []).filter((point) => !fromHospital(point)).map(valueOf);
      (series.get('62238-1') ?? []).forEach((point) => expect(valueOf(point)).toBeGreaterThanOrEqual(8));
      const first = egfr[0];
      const last = egfr.at(-1);
      if (ageOf(patientOf(batch)) >= 70 && first !== undefined && last !== undefined && egfr.length >= 5) {
        expect(last).toBeLessThanOrEqual(first + 8);
      }
      for (const pressure of series.get('85354-9') ?? []) {
        const [systolic, diastolic] = (pressure.component ?? []).map((part) => part.valueQuantity?.value ?? 0);
        expect((systolic ?? 0) - (diastolic ?? 0)).toBeGreaterThanOrEqual(25);
        expect(pressure.component?.map((part) => part.code.coding?.[0]?.code)).toEqual(['8480-6', '8462-4']);
      }
    }
    expect(inr.length).toBeGreaterThan(0);
    expect(inr.filter((value) => value >= 2 && value <= 3).length / inr.length).toBeGreaterThan(0.7);
    expect(crp.filter((value) => value < 5).length / crp.length).toBeGreaterThan(0.5);
    expect(Math.max(...crp)).toBeGreaterThan(50);
  });

  it('writes every note as a signed, final Composition with the four Norwegian sections in XHTML (the epikrise with its five)', () => {
    const xhtml = /^<div xmlns="http:\/\/www\.w3\.org\/1999\/xhtml">(<p>([^<>&]|&(amp|lt|gt);)+<\/p>)+<\/div>$/;
    const faults: string[] = [];
    let notes = 0;
    for (const batch of patients) {
      const encounters = new Map(byType(batch, 'Encounter').map((encounter): [string, Encounter] => [key(encounter), encounter]));
      for (const note of byType(batch, 'Composition')) {
        notes += 1;
        const encounter = encounters.get(note.encounter?.reference ?? '');
        const attester = note.attester?.[0];
        const fault = [
          note.status !== 'final' && 'not final',
          !['11506-3', '34111-5', DISCHARGE_SUMMARY_LOINC].includes(note.type.coding?.[0]?.code ?? '') && 'type',
          note.section?.map((section) => section.title).join() !==
            (isLetter(note) ? 'Innleggelsesårsak,Forløp,Diagnoser,Medikamenter ved utreise,Videre plan' : 'Anamnese,Funn,Vurdering,Tiltak') && 'sections',
          note.section?.some((section) => !xhtml.test(section.text?.div ?? '')) && 'xhtml',
          !(Date.parse(note.date) >= Date.parse(encounter?.period?.end ?? '')) && 'signed before the visit ended',
          (attester?.mode !== 'legal' || attester.party?.reference !== note.author[0]?.reference) && 'not attested by its author',
        ].filter(Boolean);
        if (fault.length > 0) {
          faults.push(`${key(note)}: ${fault.join(', ')}`);
        }
      }
      expect(byType(batch, 'Composition')).toHaveLength(encounters.size);
    }
    expect(faults).toEqual([]);
    expect(notes).toBeGreaterThan(PATIENTS * 5);
  });

  it('never prescribes a penicillin in a note written after a penicillin allergy was recorded', () => {
    for (const batch of patients) {
      const allergy = byType(batch, 'AllergyIntolerance').find((found) => found.code?.text === 'Penicillin');
      if (allergy === undefined) {
        continue;
      }
      for (const note of byType(batch, 'Composition').filter((found) => found.date.slice(0, 10) >= (allergy.recordedDate ?? ''))) {
        const plan = note.section?.find((section) => ['Tiltak', 'Medikamenter ved utreise'].includes(section.title ?? ''))?.text?.div ?? '';
        expect(plan).not.toMatch(/fenoksymetylpenicillin|pivmecillinam/i);
      }
    }
  });

  it('admits about a quarter of adults with long-term problems or over 70 to the hospital, 1-3 times, and the hospital writes it all', () => {
    const hospital = byType(organisation, 'Organization').find((found) => found.type?.[0]?.coding?.[0]?.code === 'hospital');
    expect(hospital?.name).toBe(HOSPITAL_NAME);
    expect(hospital?.identifier?.[0]?.system).toBe(HER_ID_SYSTEM);
    expect(hospital?.identifier?.[0]?.value).toMatch(/^\d{6,7}$/);
    const hospitalRef = `Organization/${hospital?.id ?? ''}`;
    const roles = byType(organisation, 'PractitionerRole').filter((role) => role.organization?.reference === hospitalRef);
    const physicians = new Set(roles.map((role) => role.practitioner?.reference));
    const hpr = byType(organisation, 'Practitioner')
      .filter((practitioner) => physicians.has(key(practitioner)))
      .map((practitioner) => practitioner.identifier?.[0]?.value);
    expect(hpr.sort()).toEqual(HOSPITAL_PHYSICIANS.map((physician) => physician.hpr).sort());

    let eligible = 0;
    let admitted = 0;
    let letters = 0;
    for (const batch of patients) {
      const age = ageOf(patientOf(batch));
      const stays = byType(batch, 'Encounter').filter((encounter) => encounter.class.code === 'IMP');
      if (age >= 18 && (byType(batch, 'Condition').length > 0 || age >= 70)) {
        eligible += 1;
        admitted += stays.length > 0 ? 1 : 0;
      } else {
        expect(stays).toHaveLength(0);
      }
      expect(stays.length).toBeLessThanOrEqual(3);
      const patientRef = key(patientOf(batch));
      for (const stay of stays) {
        expect(stay.serviceProvider?.reference).toBe(hospitalRef);
        expect(physicians.has(stay.participant?.[0]?.individual?.reference)).toBe(true);
        const end = Date.parse(stay.period?.end ?? '');
        expect(end).toBeGreaterThan(Date.parse(stay.period?.start ?? ''));
        const labs = byType(batch, 'Observation').filter((observation) => observation.encounter?.reference === key(stay));
        expect(labs.map(loincOf).slice(0, 4)).toEqual(['1988-5', '718-7', '14682-9', '62238-1']);
        for (const lab of labs) {
          expect(lab.subject?.reference).toBe(patientRef);
          expect(lab.performer?.map((performer) => performer.reference)).toEqual([stay.participant?.[0]?.individual?.reference, hospitalRef]);
          const at = Date.parse(lab.effectiveDateTime ?? '');
          expect(at >= Date.parse(stay.period?.start ?? '') && at <= end).toBe(true);
        }
        const [letter, ...more] = byType(batch, 'Composition').filter((note) => note.encounter?.reference === key(stay));
        expect(more).toHaveLength(0);
        expect(letter && isLetter(letter)).toBe(true);
        expect(letter?.subject?.reference).toBe(patientRef);
        expect(letter?.author.map((author) => author.reference)).toEqual([stay.participant?.[0]?.individual?.reference, hospitalRef]);
        expect(letter?.custodian?.reference).toBe(hospitalRef);
        expect(Date.parse(letter?.date ?? '')).toBeGreaterThan(end);
        const [document, ...others] = byType(batch, 'DocumentReference').filter((found) => found.context?.encounter?.[0]?.reference === key(stay));
        expect(others).toHaveLength(0);
        expect(document?.context?.related?.[0]?.reference).toBe(key(letter ?? { resourceType: 'Composition' }));
        expect(document?.content[0]?.attachment.url).toBe(key(letter ?? { resourceType: 'Composition' }));
        expect(document?.custodian?.reference).toBe(hospitalRef);
        expect(document?.subject?.reference).toBe(patientRef);
        letters += 1;
      }
    }
    expect(admitted / eligible).toBeGreaterThan(0.2);
    expect(admitted / eligible).toBeLessThan(0.3);
    expect(letters).toBeGreaterThan(admitted);
  });

  it('makes most young people healthy and long-term problems commoner with age', () => {
    const share = (batches: SeedResource[][], test: (batch: SeedResource[]) => boolean) =>
      batches.filter(test).length / batches.length;
    const young = patients.filter((batch) => ageOf(patientOf(batch)) < 40);
    const old = patients.filter((batch) => ageOf(patientOf(batch)) >= 65);
    const hasProblem = (batch: SeedResource[]) => byType(batch, 'Condition').length > 0;
    expect(share(young, hasProblem)).toBeLessThan(0.35);
    expect(share(old, hasProblem)).toBeGreaterThan(0.6);
    const size = (batches: SeedResource[][]) => batches.reduce((sum, batch) => sum + batch.length, 0) / batches.length;
    expect(size(old)).toBeGreaterThan(2 * size(young));
  });

  it('keeps the average patient between 20 and 60 resources', () => {
    const average = patients.reduce((sum, batch) => sum + batch.length, 0) / PATIENTS;
    expect(average).toBeGreaterThan(20);
    expect(average).toBeLessThan(60);
  });

  it('lists every patient with a GP role and office, and gives every GP a list', () => {
    const roles = new Map(byType(organisation, 'PractitionerRole').map((role) => [key(role), role]));
    const lists = new Map<string, number>();
    for (const batch of patients) {
      const [role, office] = patientOf(batch).generalPractitioner ?? [];
      const gpRole = roles.get(role?.reference ?? '');
      expect(gpRole?.specialty?.[0]?.coding?.[0]?.display).toBe('Allmennmedisin');
      expect(gpRole?.organization?.reference).toBe(office?.reference);
      lists.set(role?.reference ?? '', (lists.get(role?.reference ?? '') ?? 0) + 1);
    }
    expect(lists.size).toBe(Math.max(4, Math.ceil(PATIENTS / PATIENTS_PER_GP)));
  });

  it('sizes the organisation for GP lists of about 1,200 at scale, with one emergency centre', () => {
    // The generator is lazy: taking the first batch builds no patient.
    const [large = []] = take(generatePopulation({ patients: 100_000, seed: 1, now }), 1);
    const gps = byType(large, 'PractitionerRole').filter((role) => role.specialty !== undefined);
    expect(gps).toHaveLength(Math.ceil(100_000 / PATIENTS_PER_GP));
    const types = byType(large, 'Organization').map((found) => found.type?.[0]?.coding?.[0]?.code);
    expect(types.filter((type) => type === 'emergency-centre')).toHaveLength(1);
    expect(types.filter((type) => type === 'hospital')).toHaveLength(1);
    expect(types.filter((type) => type === 'municipality').length).toBeGreaterThanOrEqual(5);
    const hpr = byType(large, 'Practitioner').map((practitioner) => practitioner.identifier?.[0]);
    expect(hpr.every((identifier) => identifier?.system === HPR_SYSTEM && /^\d{7,9}$/.test(identifier.value ?? ''))).toBe(true);
    expect(new Set(hpr.map((identifier) => identifier?.value)).size).toBe(hpr.length);
    const her = byType(large, 'Organization').flatMap((found) => found.identifier ?? []);
    expect(her.every((identifier) => identifier.system === HER_ID_SYSTEM)).toBe(true);
    expect(new Set(her.map((identifier) => identifier.value)).size).toBe(her.length);
    expect(byType(large, 'Organization').every((found) => found.type?.[0]?.coding?.[0]?.system === ORGANISATION_TYPE_SYSTEM)).toBe(true);
  });

  it('refuses options it can not honour', () => {
    expect(() => take(generatePopulation({ patients: -1, seed: 1, now }), 1)).toThrow();
    expect(() => take(generatePopulation({ patients: 1, seed: 1.5, now }), 1)).toThrow();
    expect(() => take(generatePopulation({ patients: 1, seed: 1, now: new Date(Number.NaN) }), 1)).toThrow();
  });
});
