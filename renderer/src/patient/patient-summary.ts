import { idnr } from '@navikt/fnrvalidator';
import { arr, obj, reference, str, time, type Json } from './fhir-read';

export const FNR_SYSTEM = 'urn:oid:2.16.578.1.12.4.1.4.1';
export const DNR_SYSTEM = 'urn:oid:2.16.578.1.12.4.1.4.2';
export const FH_SYSTEM = 'urn:oid:2.16.578.1.12.4.1.4.3';

export type NationalIdKind = 'fnr' | 'dnr' | 'fh' | 'other';

export interface PatientSummary {
  id: string;
  /** "Family, Given Middle" as Norwegian lists sort; `fullName` "Given Middle Family" for the banner. */
  sortName: string;
  fullName: string;
  nationalId: { value: string; formatted: string; kind: NationalIdKind } | undefined;
  birthDate: string | undefined;
  /** Whole years at `now`; undefined without a usable birth date. */
  age: number | undefined;
  sex: 'female' | 'male' | 'other' | 'unknown';
  deceased: { date: string | undefined } | undefined;
  gp: { display: string | undefined; reference: string | undefined };
  office: { display: string | undefined; reference: string | undefined };
  /** Synthetic (Tenor, month + 80) national id: the record is test data. */
  isTestData: boolean;
}

/** 11 digits as Norwegians read them: `DDMMYY NNNNN`; anything else as it is. */
export const formatNationalId = (value: string): string => (/^\d{11}$/.test(value) ? `${value.slice(0, 6)} ${value.slice(6)}` : value);

const kindOf = (system: string | undefined): NationalIdKind | undefined =>
  system === FNR_SYSTEM ? 'fnr' : system === DNR_SYSTEM ? 'dnr' : system === FH_SYSTEM ? 'fh' : undefined;

/** Whole years between a birth date and now, counting the birthday itself. */
export const ageAt = (birthDate: string, now: Date): number | undefined => {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(birthDate);
  if (!match) {
    return undefined;
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  let age = now.getFullYear() - year;
  if (now.getMonth() + 1 < month || (now.getMonth() + 1 === month && now.getDate() < day)) {
    age -= 1;
  }
  return age >= 0 && age < 150 ? age : undefined;
};

const sexOf = (gender: unknown): PatientSummary['sex'] =>
  gender === 'female' || gender === 'male' || gender === 'other' ? gender : 'unknown';

/** What every screen shows of a Patient, read defensively. */
export const summarisePatient = (patient: Json, now: Date): PatientSummary => {
  const names = arr(patient.name).map(obj).filter((n): n is Json => n !== undefined);
  const name = names.find((n) => n.use === 'official') ?? names[0];
  const family = str(name?.family, 200);
  const given = arr(name?.given).map((g) => str(g, 200)).filter((g): g is string => g !== undefined).join(' ');
  const text = str(name?.text, 200);
  const identifiers = arr(patient.identifier).map(obj).filter((i): i is Json => i !== undefined);
  const national = identifiers
    .map((i) => ({ kind: kindOf(str(i.system, 200)), value: str(i.value, 40) }))
    .find((i): i is { kind: NationalIdKind; value: string } => i.kind !== undefined && i.value !== undefined);
  const birthDate = str(patient.birthDate, 10);
  const deceasedDate = str(patient.deceasedDateTime, 40);
  const refs = arr(patient.generalPractitioner).map(reference);
  const gp = refs.find((r) => r.type === 'PractitionerRole' || r.type === 'Practitioner');
  const office = refs.find((r) => r.type === 'Organization');
  const check = national && national.kind !== 'fh' ? idnr(national.value) : undefined;
  return {
    id: str(patient.id, 64) ?? '',
    sortName: family && given ? `${family}, ${given}` : (family ?? given ?? text ?? ''),
    fullName: given || family ? [given, family].filter(Boolean).join(' ') : (text ?? ''),
    nationalId: national ? { value: national.value, formatted: formatNationalId(national.value), kind: national.kind } : undefined,
    birthDate: birthDate && time(birthDate) !== undefined ? birthDate : undefined,
    age: birthDate ? ageAt(birthDate, now) : undefined,
    sex: sexOf(patient.gender),
    deceased: patient.deceasedBoolean === true || deceasedDate ? { date: deceasedDate } : undefined,
    gp: { display: gp?.display, reference: gp?.type && gp.id ? `${gp.type}/${gp.id}` : undefined },
    office: { display: office?.display, reference: office?.id ? `Organization/${office.id}` : undefined },
    isTestData: check?.status === 'valid' && (check.type === 'tnr' || check.type === 'dnr-and-tnr'),
  };
};
