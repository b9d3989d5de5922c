import type { Patient } from 'fhir/r4';
import { streetAddress } from './address';
import { date, DAY, YEAR_DAYS } from './calendar';
import { referenceTo } from './ids';
import { drawSyntheticNationalId } from './national-id';
import type { PersonName } from './names';
import { drawName } from './names';
import type { Gp } from './organisation';
import type { Random } from './random';
import { NATIONAL_ID_SYSTEM } from './systems';

/**
 * Who a patient is: age drawn from Norway's age pyramid (five-year bands, Statistics Norway
 * 2024, in per mille), gender, a name of their generation, a synthetic national id, a home in
 * the municipality of their GP's office, and the GP list they are on.
 */
const AGE_BANDS: ReadonlyArray<readonly [number, number]> = [
  [0, 55], [5, 58], [10, 62], [15, 61], [20, 63], [25, 67], [30, 70], [35, 69], [40, 65], [45, 66],
  [50, 69], [55, 66], [60, 59], [65, 53], [70, 50], [75, 40], [80, 25], [85, 13], [90, 6], [95, 2],
];

export interface Person {
  readonly gender: 'male' | 'female';
  readonly birthDay: number;
  readonly name: PersonName;
  readonly nationalId: string;
}

export const drawPerson = (random: Random, today: number, nationalIds: Set<string>): Person => {
  const band = random.weighted(AGE_BANDS.map(([from, weight]) => [from, weight] as const));
  const ageDays = random.int(Math.floor(band * YEAR_DAYS), Math.floor((band + 5) * YEAR_DAYS) - 1);
  const birthDay = today - ageDays;
  const gender = random.chance(0.5) ? 'female' : 'male';
  const birthDate = new Date(birthDay * DAY);
  return {
    gender,
    birthDay,
    name: drawName(random, gender, birthDate.getUTCFullYear()),
    nationalId: drawSyntheticNationalId(random, birthDate, gender, nationalIds),
  };
};

export const patientResource = (random: Random, id: string, person: Person, gp: Gp): Patient => ({
  resourceType: 'Patient',
  id,
  identifier: [{ use: 'official', system: NATIONAL_ID_SYSTEM, value: person.nationalId }],
  active: true,
  name: [{ use: 'official', family: person.name.family, given: [...person.name.given] }],
  gender: person.gender,
  birthDate: date(person.birthDay * DAY),
  address: [streetAddress(random, gp.municipality, 'home')],
  // The list belongs to the GP's role at the office (the fastlege agreement), so the role is
  // referenced, with the office beside it.
  // With their names, as a reference may carry them: the banner shows who the GP is without a look-up.
  generalPractitioner: [
    { ...referenceTo('PractitionerRole', gp.roleId), display: [...gp.name.given, gp.name.family].join(' ') },
    { ...referenceTo('Organization', gp.officeId), display: gp.officeName },
  ],
});
