/**
 * Identifier and code systems the generated resources use. Norwegian ones are the OIDs HL7 Norway
 * uses (see DOMAIN.md); where no national code system fits, ours live under
 * http://akson.example/fhir/CodeSystem/ (a placeholder domain until the project has its own).
 */

// Identifiers (HL7 Norway)
export const NATIONAL_ID_SYSTEM = 'urn:oid:2.16.578.1.12.4.1.4.1';
export const HPR_SYSTEM = 'urn:oid:2.16.578.1.12.4.1.4.4';
export const HER_ID_SYSTEM = 'urn:oid:2.16.578.1.12.4.1.2';

// Norwegian code systems (Volven) and the HL7 Norway municipality extension on Address.district
export const MUNICIPALITY_SYSTEM = 'urn:oid:2.16.578.1.12.4.1.1.3402';
export const MUNICIPALITY_EXTENSION = 'http://hl7.no/fhir/StructureDefinition/no-basis-municipalitycode';
export const HEALTH_PERSONNEL_CATEGORY_SYSTEM = 'urn:oid:2.16.578.1.12.4.1.1.9060';
export const SPECIALITY_SYSTEM = 'urn:oid:2.16.578.1.12.4.1.1.7426';

// International
export const LOINC_SYSTEM = 'http://loinc.org';
export const UCUM_SYSTEM = 'http://unitsofmeasure.org';
export const ATC_SYSTEM = 'http://www.whocc.no/atc';
export const XHTML_NAMESPACE = 'http://www.w3.org/1999/xhtml';

// HL7 terminology
const HL7 = 'http://terminology.hl7.org/CodeSystem';
export const ACT_CODE_SYSTEM = `${HL7}/v3-ActCode`;
export const CONDITION_CLINICAL_SYSTEM = `${HL7}/condition-clinical`;
export const CONDITION_VERIFICATION_SYSTEM = `${HL7}/condition-ver-status`;
export const CONDITION_CATEGORY_SYSTEM = `${HL7}/condition-category`;
export const ALLERGY_CLINICAL_SYSTEM = `${HL7}/allergyintolerance-clinical`;
export const ALLERGY_VERIFICATION_SYSTEM = `${HL7}/allergyintolerance-verification`;
export const OBSERVATION_CATEGORY_SYSTEM = `${HL7}/observation-category`;
export const INTERPRETATION_SYSTEM = `${HL7}/v3-ObservationInterpretation`;
export const REFERENCE_RANGE_MEANING_SYSTEM = `${HL7}/referencerange-meaning`;
export const FLAG_CATEGORY_SYSTEM = `${HL7}/flag-category`;
export const PARTICIPATION_TYPE_SYSTEM = `${HL7}/v3-ParticipationType`;
export const ADMIT_SOURCE_SYSTEM = `${HL7}/admit-source`;
export const DISCHARGE_DISPOSITION_SYSTEM = `${HL7}/discharge-disposition`;

// Ours
const AKSON = 'http://akson.example/fhir/CodeSystem';
/** physician | nurse | secretary: what a PractitionerRole does at its organisation */
export { PRACTITIONER_ROLE_SYSTEM } from '../directory/directory-rules';
/** municipality | gp-office | emergency-centre | hospital */
export const ORGANISATION_TYPE_SYSTEM = `${AKSON}/organization-type`;
/** consultation | e-consultation | emergency-visit | hospital-stay */
export const ENCOUNTER_TYPE_SYSTEM = `${AKSON}/encounter-type`;
/** anamnese | funn | vurdering | tiltak: the sections of a journal note */
export const JOURNAL_SECTION_SYSTEM = `${AKSON}/journal-section`;
/** red | orange | yellow | green | blue: emergency-centre triage (MTS/RETTS colours) */
export const TRIAGE_SYSTEM = `${AKSON}/triage-colour`;
