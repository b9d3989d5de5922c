import type { Organization, Practitioner, PractitionerRole } from 'fhir/r4';
import { streetAddress } from './address';
import { referenceTo, uuidFrom } from './ids';
import type { Municipality } from './places';
import type { Random } from './random';
import { HEALTH_PERSONNEL_CATEGORY_SYSTEM, HER_ID_SYSTEM, HPR_SYSTEM, ORGANISATION_TYPE_SYSTEM, PRACTITIONER_ROLE_SYSTEM } from './systems';

/**
 * The hospital the population is admitted to: one synthetic health trust with a medical and an
 * orthopaedic department, and the physicians who write and sign its discharge letters.
 *
 * Why the physicians are fixed (name and HPR number stated here) rather than drawn like the GPs:
 * their letters are signed with certificates issued by the hospital test CA
 * (scripts/test-pki/create-test-pki.ts), and a certificate names its holder's HPR number. The PKI
 * reads this list, so a Provenance's `who` and the signer certificate always name the same person.
 * The HPR numbers lie in the 5655101xx range next to the test PKI's other synthetic clinicians.
 */
export const HOSPITAL_NAME = 'Fjordvik sykehus HF';

export type HospitalDepartment = 'medical' | 'orthopaedic';

export const HOSPITAL_DEPARTMENTS: Record<HospitalDepartment, string> = {
  medical: 'Medisinsk avdeling',
  orthopaedic: 'Ortopedisk avdeling',
};

export interface HospitalPhysicianIdentity {
  readonly given: string;
  readonly family: string;
  readonly gender: 'female' | 'male';
  readonly hpr: string;
  readonly department: HospitalDepartment;
}

export const HOSPITAL_PHYSICIANS: ReadonlyArray<HospitalPhysicianIdentity> = [
  { given: 'Ingrid', family: 'Fjeldstad', gender: 'female', hpr: '565510101', department: 'medical' },
  { given: 'Tor Erik', family: 'Aasland', gender: 'male', hpr: '565510102', department: 'medical' },
  { given: 'Solveig', family: 'Brænne', gender: 'female', hpr: '565510103', department: 'orthopaedic' },
];

/** The name a certificate and a letter's signature line give: "Ingrid Fjeldstad". */
export const physicianName = (physician: HospitalPhysicianIdentity): string => `${physician.given} ${physician.family}`;

export interface HospitalPhysician extends HospitalPhysicianIdentity {
  readonly practitionerId: string;
  readonly roleId: string;
}

/** What patient generation needs to know of the hospital. */
export interface Hospital {
  readonly id: string;
  readonly name: string;
  readonly herId: string;
  readonly physicians: ReadonlyArray<HospitalPhysician>;
}

export type HospitalResource = Organization | Practitioner | PractitionerRole;

/**
 * The hospital's Organization, its physicians and their roles. `content` and `ids` are streams
 * of the hospital's own, so adding the hospital left every GP office, GP and id of the
 * organisation batch as it was. `herIds` holds the HER-ids already given, to keep them unique.
 */
export const generateHospital = (
  content: Random,
  ids: Random,
  municipality: Municipality,
  herIds: Set<string>,
): { hospital: Hospital; resources: HospitalResource[] } => {
  const newId = () => uuidFrom(ids);
  let herId = String(content.int(100_000, 9_999_999));
  while (herIds.has(herId)) {
    herId = String(content.int(100_000, 9_999_999));
  }
  herIds.add(herId);
  const id = newId();
  const resources: HospitalResource[] = [
    {
      resourceType: 'Organization',
      id,
      active: true,
      identifier: [{ use: 'official', system: HER_ID_SYSTEM, value: herId }],
      type: [{ coding: [{ system: ORGANISATION_TYPE_SYSTEM, code: 'hospital', display: 'Sykehus' }] }],
      name: HOSPITAL_NAME,
      address: [streetAddress(content, municipality, 'work')],
    },
  ];
  const physicians = HOSPITAL_PHYSICIANS.map((identity): HospitalPhysician => {
    const practitionerId = newId();
    const roleId = newId();
    resources.push(
      {
        resourceType: 'Practitioner',
        id: practitionerId,
        active: true,
        identifier: [{ use: 'official', system: HPR_SYSTEM, value: identity.hpr }],
        name: [{ use: 'official', family: identity.family, given: identity.given.split(' ') }],
        gender: identity.gender,
        qualification: [{ code: { coding: [{ system: HEALTH_PERSONNEL_CATEGORY_SYSTEM, code: 'LE', display: 'Lege' }] } }],
      },
      {
        resourceType: 'PractitionerRole',
        id: roleId,
        active: true,
        practitioner: referenceTo('Practitioner', practitionerId),
        organization: referenceTo('Organization', id),
        code: [{ coding: [{ system: PRACTITIONER_ROLE_SYSTEM, code: 'physician', display: 'Lege' }] }],
      },
    );
    return { ...identity, practitionerId, roleId };
  });
  return { hospital: { id, name: HOSPITAL_NAME, herId, physicians }, resources };
};
