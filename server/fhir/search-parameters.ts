/**
 * The search parameters this server supports, per resource type. Each names the FHIR paths its
 * values come from; `search-index.ts` extracts them into the index tables at every write, and the
 * CapabilityStatement lists exactly these. A parameter not listed here is refused (strict handling).
 */
export type SearchParamType = 'token' | 'string' | 'date' | 'reference';

export interface SearchParamDefinition {
  name: string;
  type: SearchParamType;
  /** Dotted FHIR paths (arrays are flattened). */
  paths: string[];
  /** For references: only targets of these types (e.g. `patient` = subject that is a Patient). */
  targets?: string[];
  documentation: string;
}

const token = (name: string, paths: string[], documentation: string): SearchParamDefinition => ({ name, type: 'token', paths, documentation });
const string = (name: string, paths: string[], documentation: string): SearchParamDefinition => ({ name, type: 'string', paths, documentation });
const date = (name: string, paths: string[], documentation: string): SearchParamDefinition => ({ name, type: 'date', paths, documentation });
const reference = (name: string, paths: string[], documentation: string, targets?: string[]): SearchParamDefinition => ({
  name,
  type: 'reference',
  paths,
  documentation,
  ...(targets ? { targets } : {}),
});

/** `patient` and `subject` on a resource whose subject is usually the patient. */
const subjectPair = (path: string): SearchParamDefinition[] => [
  reference('subject', [path], 'Who the resource is about'),
  reference('patient', [path], 'The patient the resource is about', ['Patient']),
];
const status = token('status', ['status'], 'Status code');
/**
 * Business identifiers, on every clinical type: the workstation gives each resource it creates an
 * identifier of its own and sends `If-None-Exist: identifier=…`, so a create retried after a lost
 * answer finds the first one instead of making a second.
 */
const identifier = token('identifier', ['identifier'], 'Business identifier, e.g. the workstation-generated id of a create: system|value');

export const searchParameters: Record<string, SearchParamDefinition[]> = {
  Patient: [
    token('identifier', ['identifier'], 'National id (fødselsnummer, D-nummer, FH-nummer) or another identifier: system|value'),
    string('name', ['name.family', 'name.given', 'name.text'], 'Any part of a name; prefix, case- and accent-insensitive'),
    string('family', ['name.family'], 'Family name; prefix, case- and accent-insensitive'),
    string('given', ['name.given'], 'Given name; prefix, case- and accent-insensitive'),
    date('birthdate', ['birthDate'], 'Date of birth'),
    token('gender', ['gender'], 'Administrative gender'),
    reference('general-practitioner', ['generalPractitioner'], 'The GP (Practitioner, PractitionerRole) or GP office (Organization)'),
  ],
  Practitioner: [
    token('identifier', ['identifier'], 'HPR number or another identifier'),
    string('name', ['name.family', 'name.given', 'name.text'], 'Any part of a name'),
  ],
  PractitionerRole: [
    token('identifier', ['identifier'], 'Identifier'),
    reference('practitioner', ['practitioner'], 'The practitioner'),
    reference('organization', ['organization'], 'The organisation'),
    token('role', ['code'], 'Role (physician, nurse, secretary)'),
  ],
  Organization: [
    token('identifier', ['identifier'], 'HER-id, organisation number or another identifier'),
    string('name', ['name', 'alias'], 'Name or alias'),
    token('type', ['type'], 'Kind of organisation'),
    reference('partof', ['partOf'], 'The organisation this one is part of'),
  ],
  Encounter: [
    identifier,
    ...subjectPair('subject'),
    date('date', ['period'], 'When the encounter took place'),
    status,
    token('class', ['class'], 'Encounter class'),
    token('type', ['type'], 'Encounter type'),
    reference('service-provider', ['serviceProvider'], 'The organisation responsible'),
    reference('participant', ['participant.individual'], 'Practitioners taking part'),
  ],
  Appointment: [
    identifier,
    reference('actor', ['participant.actor'], 'Any participant'),
    reference('patient', ['participant.actor'], 'The patient taking part', ['Patient']),
    reference('practitioner', ['participant.actor'], 'A practitioner taking part', ['Practitioner', 'PractitionerRole']),
    date('date', ['start'], 'Start time'),
    status,
  ],
  Composition: [
    identifier,
    ...subjectPair('subject'),
    date('date', ['date'], 'When the note was written'),
    token('type', ['type'], 'Kind of note'),
    token('category', ['category'], 'Category'),
    status,
    reference('encounter', ['encounter'], 'The encounter it documents'),
    reference('author', ['author'], 'Who wrote it'),
  ],
  Provenance: [
    reference('target', ['target'], 'The resource version signed or changed'),
    reference('patient', ['target'], 'The patient the target belongs to', ['Patient']),
    reference('agent', ['agent.who'], 'Who signed or changed it'),
    date('recorded', ['recorded'], 'When it was recorded'),
  ],
  Condition: [
    identifier,
    ...subjectPair('subject'),
    token('code', ['code'], 'ICPC-2 (or ICD-10) code: system|code'),
    token('category', ['category'], 'problem-list-item or encounter-diagnosis'),
    token('clinical-status', ['clinicalStatus'], 'active, resolved ...'),
    token('verification-status', ['verificationStatus'], 'confirmed, entered-in-error ...'),
    date('onset-date', ['onsetDateTime', 'onsetPeriod'], 'Onset'),
    date('recorded-date', ['recordedDate'], 'When recorded'),
    reference('encounter', ['encounter'], 'The encounter'),
  ],
  AllergyIntolerance: [
    identifier,
    reference('patient', ['patient'], 'The patient'),
    token('code', ['code'], 'Substance'),
    token('clinical-status', ['clinicalStatus'], 'active, inactive, resolved'),
    token('category', ['category'], 'food, medication, environment, biologic'),
    token('criticality', ['criticality'], 'low, high, unable-to-assess'),
    date('date', ['recordedDate'], 'When recorded'),
  ],
  Flag: [
    identifier,
    ...subjectPair('subject'),
    date('date', ['period'], 'When the flag applies'),
    status,
    token('category', ['category'], 'Kind of flag (critical information)'),
    reference('author', ['author'], 'Who raised it'),
  ],
  Observation: [
    identifier,
    ...subjectPair('subject'),
    token('code', ['code'], 'LOINC (or local) code of what was observed'),
    token('category', ['category'], 'vital-signs, laboratory ...'),
    date('date', ['effectiveDateTime', 'effectivePeriod', 'effectiveInstant'], 'When observed'),
    status,
    reference('encounter', ['encounter'], 'The encounter'),
    reference('based-on', ['basedOn'], 'The order'),
  ],
  DiagnosticReport: [
    identifier,
    ...subjectPair('subject'),
    token('code', ['code'], 'Report code'),
    token('category', ['category'], 'Category'),
    date('date', ['effectiveDateTime', 'effectivePeriod'], 'Clinically relevant time'),
    status,
    reference('encounter', ['encounter'], 'The encounter'),
    reference('result', ['result'], 'The observations'),
  ],
  MedicationRequest: [
    identifier,
    ...subjectPair('subject'),
    status,
    token('intent', ['intent'], 'proposal, plan, order ...'),
    token('code', ['medicationCodeableConcept'], 'Medication code (ATC or product)'),
    date('authoredon', ['authoredOn'], 'When prescribed'),
    reference('requester', ['requester'], 'Who prescribed'),
    reference('encounter', ['encounter'], 'The encounter'),
  ],
  MedicationStatement: [
    identifier,
    ...subjectPair('subject'),
    status,
    token('code', ['medicationCodeableConcept'], 'Medication code'),
    date('effective', ['effectiveDateTime', 'effectivePeriod'], 'When taken'),
  ],
  ServiceRequest: [
    identifier,
    ...subjectPair('subject'),
    status,
    token('code', ['code'], 'What is requested'),
    token('category', ['category'], 'Category (referral ...)'),
    date('authored', ['authoredOn'], 'When requested'),
    reference('requester', ['requester'], 'Who requested'),
    reference('performer', ['performer'], 'Who is asked to perform'),
  ],
  Communication: [
    identifier,
    ...subjectPair('subject'),
    status,
    token('category', ['category'], 'Kind of message'),
    date('sent', ['sent'], 'When sent'),
    reference('sender', ['sender'], 'Sender'),
    reference('recipient', ['recipient'], 'Recipient'),
  ],
  DocumentReference: [
    identifier,
    ...subjectPair('subject'),
    status,
    token('type', ['type'], 'Kind of document (epikrise ...)'),
    token('category', ['category'], 'Category'),
    date('date', ['date'], 'When the reference was created'),
    reference('author', ['author'], 'Author'),
  ],
  CareTeam: [
    identifier,
    ...subjectPair('subject'),
    status,
    reference('participant', ['participant.member'], 'A member of the team (gives its members work-related need)'),
  ],
  Consent: [
    identifier,
    reference('patient', ['patient'], 'The patient'),
    status,
    token('category', ['category'], 'Kind of consent or blocking'),
    date('date', ['dateTime'], 'When given'),
    reference('actor', ['provision.actor.reference'], 'Who the provision is about'),
  ],
  AuditEvent: [
    date('date', ['recorded'], 'When the event happened'),
    reference('agent', ['agent.who'], 'Who did it'),
    reference('entity', ['entity.what'], 'What was read or written'),
    reference('patient', ['entity.what'], 'The patient whose record was touched', ['Patient']),
    token('type', ['type'], 'Event type'),
    token('action', ['action'], 'C, R, U, D, E'),
  ],
};

export const resourceTypes = Object.keys(searchParameters);

export const isSupportedType = (type: string): boolean => Object.hasOwn(searchParameters, type);

/** Parameters every type has; served from the resource table itself. */
export const commonParameters: SearchParamDefinition[] = [
  token('_id', ['id'], 'Logical id'),
  date('_lastUpdated', ['meta.lastUpdated'], 'When this version was stored'),
];

export const findParameter = (type: string, name: string): SearchParamDefinition | undefined =>
  commonParameters.find((p) => p.name === name) ?? searchParameters[type]?.find((p) => p.name === name);

/** The parameters that put a resource in a patient's compartment ($everything, access rules). */
export const patientCompartmentParams = (type: string): string[] =>
  type === 'Patient' ? [] : (searchParameters[type] ?? []).filter((p) => p.name === 'patient').map((p) => p.name);

