export { generatePopulation, populationOptionsSchema } from './population';
export type { PopulationOptions, SeedResource } from './population';
export type { OrganisationResource } from './organisation';
export type { PatientResource } from './patient-resource';
export {
  ENCOUNTER_TYPE_SYSTEM,
  HER_ID_SYSTEM,
  HPR_SYSTEM,
  JOURNAL_SECTION_SYSTEM,
  NATIONAL_ID_SYSTEM,
  ORGANISATION_TYPE_SYSTEM,
  PRACTITIONER_ROLE_SYSTEM,
  TRIAGE_SYSTEM,
} from './systems';
