import type { Organization, Practitioner, PractitionerRole } from 'fhir/r4';
import { municipalityAddress, streetAddress } from './address';
import type { Hospital, HospitalResource } from './hospital';
import { generateHospital, HOSPITAL_PHYSICIANS } from './hospital';
import { referenceTo, uuidFrom } from './ids';
import type { PersonName } from './names';
import { drawName } from './names';
import type { Municipality } from './places';
import { GP_OFFICE_NAMES, MUNICIPALITIES } from './places';
import type { Random } from './random';
import {
  HEALTH_PERSONNEL_CATEGORY_SYSTEM,
  HER_ID_SYSTEM,
  HPR_SYSTEM,
  ORGANISATION_TYPE_SYSTEM,
  PRACTITIONER_ROLE_SYSTEM,
  SPECIALITY_SYSTEM,
} from './systems';

/**
 * The shared part of the population: municipalities, GP offices with their GPs, nurses and
 * secretaries, and one emergency centre (legevakt) staffed by some of the GPs on duty rotas (as in
 * Norway) and its own nurses. Sized from the patient count so GP lists come out at about 1,200
 * patients at scale, as in the real fastlege scheme, and never fewer than four GPs in two offices
 * so that small demo sets still show more than one of everything.
 */
export const PATIENTS_PER_GP = 1200;

export type StaffRole = 'physician' | 'nurse' | 'secretary';

export interface Staff {
  readonly practitionerId: string;
  readonly roleId: string;
  readonly name: PersonName;
}

export interface Gp extends Staff {
  readonly officeId: string;
  readonly officeName: string;
  readonly municipality: Municipality;
}

export interface GpOffice {
  readonly id: string;
  readonly name: string;
  readonly municipality: Municipality;
  readonly gps: Gp[];
  readonly nurses: Staff[];
}

export interface EmergencyCentre {
  readonly id: string;
  /** roles at the centre (GPs on the duty rota); practitionerId is the GP's own */
  readonly physicians: Staff[];
  readonly nurses: Staff[];
}

/** What patient generation needs to know of the organisation batch. */
export interface Directory {
  readonly gps: ReadonlyArray<Gp>;
  readonly offices: ReadonlyArray<GpOffice>;
  readonly emergencyCentre: EmergencyCentre;
  readonly hospital: Hospital;
}

export type OrganisationResource = Organization | Practitioner | PractitionerRole | HospitalResource;

const ROLE_DISPLAY: Record<StaffRole, string> = { physician: 'Lege', nurse: 'Sykepleier', secretary: 'Helsesekretær' };
// Helsepersonellkategori (HPR): LE lege, SP sykepleier, HE helsesekretær
const CATEGORY: Record<StaffRole, readonly [string, string]> = {
  physician: ['LE', 'Lege'],
  nurse: ['SP', 'Sykepleier'],
  secretary: ['HE', 'Helsesekretær'],
};

const organisationType = (code: string, display: string) => [
  { coding: [{ system: ORGANISATION_TYPE_SYSTEM, code, display }] },
];

/** Distinct numbers of `minDigits`-`maxDigits` digits (HPR, HER-id): made up, unique within the set. */
const uniqueNumber = (random: Random, taken: Set<string>, minDigits: number, maxDigits: number): string => {
  for (;;) {
    const digits = random.int(minDigits, maxDigits);
    const value = String(random.int(10 ** (digits - 1), 10 ** digits - 1));
    if (!taken.has(value)) {
      taken.add(value);
      return value;
    }
  }
};

export interface OrganisationBatch {
  readonly directory: Directory;
  readonly resources: OrganisationResource[];
}

export const generateOrganisation = (
  patients: number,
  content: Random,
  ids: Random,
  hospitalStreams: { readonly content: Random; readonly ids: Random },
): OrganisationBatch => {
  const resources: OrganisationResource[] = [];
  // The hospital physicians' HPR numbers are fixed (their certificates name them): no GP draws one.
  const hprNumbers = new Set<string>(HOSPITAL_PHYSICIANS.map((physician) => physician.hpr));
  const herIds = new Set<string>();
  const newId = () => uuidFrom(ids);

  const gpCount = Math.max(4, Math.ceil(patients / PATIENTS_PER_GP));
  const officeCount = Math.max(2, Math.ceil(gpCount / 4));
  const municipalities = MUNICIPALITIES.slice(0, Math.min(MUNICIPALITIES.length, officeCount)).map((municipality) => {
    const id = newId();
    resources.push({
      resourceType: 'Organization',
      id,
      active: true,
      type: organisationType('municipality', 'Kommune'),
      name: `${municipality.name} kommune`,
      address: [municipalityAddress(municipality)],
    });
    return { id, municipality };
  });

  const addStaff = (role: StaffRole, organisationId: string, birthYearFrom: number, gp: boolean): Staff => {
    const gender = content.chance(role === 'physician' ? 0.5 : 0.85) ? 'female' : 'male';
    const name = drawName(content, gender, content.int(birthYearFrom, birthYearFrom + 35));
    const practitionerId = newId();
    const [category, categoryDisplay] = CATEGORY[role];
    resources.push({
      resourceType: 'Practitioner',
      id: practitionerId,
      active: true,
      identifier: [{ use: 'official', system: HPR_SYSTEM, value: uniqueNumber(content, hprNumbers, 7, 9) }],
      name: [{ use: 'official', family: name.family, given: [...name.given] }],
      gender,
      qualification: [{ code: { coding: [{ system: HEALTH_PERSONNEL_CATEGORY_SYSTEM, code: category, display: categoryDisplay }] } }],
    });
    return { practitionerId, roleId: addRole(practitionerId, role, organisationId, gp), name };
  };

  const addRole = (practitionerId: string, role: StaffRole, organisationId: string, gp: boolean): string => {
    const roleId = newId();
    resources.push({
      resourceType: 'PractitionerRole',
      id: roleId,
      active: true,
      practitioner: referenceTo('Practitioner', practitionerId),
      organization: referenceTo('Organization', organisationId),
      code: [{ coding: [{ system: PRACTITIONER_ROLE_SYSTEM, code: role, display: ROLE_DISPLAY[role] }] }],
      ...(gp ? { specialty: [{ coding: [{ system: SPECIALITY_SYSTEM, code: '1', display: 'Allmennmedisin' }] }] } : {}),
    });
    return roleId;
  };

  const offices: GpOffice[] = [];
  for (let i = 0; i < officeCount; i += 1) {
    // One office in every municipality first, then where the people are.
    const home = municipalities[i] ?? content.weighted(municipalities.map((m) => [m, m.municipality.weight] as const));
    const id = newId();
    const officeName = GP_OFFICE_NAMES[i % GP_OFFICE_NAMES.length] ?? 'Legesenteret';
    resources.push({
      resourceType: 'Organization',
      id,
      active: true,
      identifier: [{ use: 'official', system: HER_ID_SYSTEM, value: uniqueNumber(content, herIds, 6, 7) }],
      type: organisationType('gp-office', 'Legekontor'),
      name: i < GP_OFFICE_NAMES.length ? officeName : `${officeName} ${home.municipality.name}`,
      address: [streetAddress(content, home.municipality, 'work')],
    });
    offices.push({ id, name: i < GP_OFFICE_NAMES.length ? officeName : `${officeName} ${home.municipality.name}`, municipality: home.municipality, gps: [], nurses: [] });
  }

  const gps: Gp[] = [];
  for (let i = 0; i < gpCount; i += 1) {
    const office = offices[i % offices.length];
    if (office === undefined) {
      throw new RangeError('no GP office');
    }
    const gp: Gp = { ...addStaff('physician', office.id, 1955, true), officeId: office.id, officeName: office.name, municipality: office.municipality };
    office.gps.push(gp);
    gps.push(gp);
  }
  for (const office of offices) {
    office.nurses.push(addStaff('nurse', office.id, 1960, false));
    for (let i = 0; i < Math.ceil(office.gps.length / 2); i += 1) {
      addStaff('secretary', office.id, 1960, false);
    }
  }

  const host = municipalities[0];
  if (host === undefined) {
    throw new RangeError('no municipality');
  }
  const emergencyId = newId();
  resources.push({
    resourceType: 'Organization',
    id: emergencyId,
    active: true,
    identifier: [{ use: 'official', system: HER_ID_SYSTEM, value: uniqueNumber(content, herIds, 6, 7) }],
    type: organisationType('emergency-centre', 'Legevakt'),
    name: `${host.municipality.name} interkommunale legevakt`,
    address: [streetAddress(content, host.municipality, 'work')],
    partOf: referenceTo('Organization', host.id),
  });
  // About four in ten GPs take legevakt shifts; at least two, so the board always has doctors.
  const onRota = gps.filter((_, i) => i < 2 || content.chance(0.4));
  const emergencyCentre: EmergencyCentre = {
    id: emergencyId,
    physicians: onRota.map(({ practitionerId, name }) => ({
      practitionerId,
      name,
      roleId: addRole(practitionerId, 'physician', emergencyId, false),
    })),
    nurses: Array.from({ length: Math.max(2, Math.ceil(gpCount / 10)) }, () => addStaff('nurse', emergencyId, 1965, false)),
  };

  // Last, from streams of its own: the hospital changed nothing drawn before it.
  const { hospital, resources: hospitalResources } = generateHospital(hospitalStreams.content, hospitalStreams.ids, host.municipality, herIds);
  resources.push(...hospitalResources);

  return { directory: { gps, offices, emergencyCentre, hospital }, resources };
};
