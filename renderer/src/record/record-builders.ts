import { icpc2Coding, isIcpc2Code } from '../../../shared/terminology/icpc2';
import { ICPC2_SYSTEM, ICPC2_SYSTEM_ALIAS } from '../../../shared/terminology/code-systems';
import { arr, codings, concept, obj, str, time, type Json } from '../patient/fhir-read';

/**
 * The rest of the record a GP maintains, as pure functions: a form -> the FHIR resource saved with
 * `journal.save`, and a resource -> the form that edits it. Written in the shape the demo journal's
 * seed uses (server/seed/allergies.ts, problem-list.ts), so what is written here reads in the chart
 * the same way. A change keeps every field of the version it edits (id and meta.versionId included:
 * core sends that version as If-Match); text is stored as typed and only ever rendered as text.
 */

const HL7 = 'http://terminology.hl7.org/CodeSystem';
export const ALLERGY_CLINICAL_SYSTEM = `${HL7}/allergyintolerance-clinical`;
export const ALLERGY_VERIFICATION_SYSTEM = `${HL7}/allergyintolerance-verification`;
export const CONDITION_CLINICAL_SYSTEM = `${HL7}/condition-clinical`;
export const CONDITION_VERIFICATION_SYSTEM = `${HL7}/condition-ver-status`;
export const CONDITION_CATEGORY_SYSTEM = `${HL7}/condition-category`;
export const FLAG_CATEGORY_SYSTEM = `${HL7}/flag-category`;
const ATC_SYSTEM = 'http://www.whocc.no/atc';

/** What a record text may hold: as much as the chart shows of a concept's text (patient/fhir-read.ts). */
export const MAX_RECORD_TEXT = 500;

export type RecordBuildErrorCode = 'EMPTY_SUBSTANCE' | 'EMPTY_TEXT' | 'TOO_LONG' | 'UNKNOWN_CODE' | 'NO_CODE' | 'BAD_DATE' | 'RESOLVED_BEFORE_ONSET' | 'SEVERITY_WITHOUT_REACTION';

/** A form that can not become a resource: the code names the reason, put into the clinician's words by the dialog. */
export class RecordBuildError extends Error {
  constructor(readonly code: RecordBuildErrorCode) {
    super(code);
    this.name = 'RecordBuildError';
  }
}

export const allergyKinds = ['allergy', 'intolerance'] as const;
export const severities = ['', 'mild', 'moderate', 'severe'] as const;
export const verifications = ['unconfirmed', 'confirmed'] as const;
export const criticalities = ['low', 'high', 'unable-to-assess'] as const;
export const allergyCategories = ['medication', 'food', 'environment', 'biologic'] as const;

export interface AllergyForm {
  type: (typeof allergyKinds)[number];
  substance: string;
  reaction: string;
  severity: (typeof severities)[number];
  verification: (typeof verifications)[number];
  criticality: (typeof criticalities)[number];
  category: (typeof allergyCategories)[number];
  /** YYYY-MM-DD */
  recordedDate: string;
  active: boolean;
}

export interface FlagForm {
  text: string;
  category: 'clinical' | 'drug';
  /** YYYY-MM-DD */
  start: string;
  active: boolean;
}

export interface ProblemForm {
  /** One ICPC-2 code, or '' before one is picked. */
  code: string;
  /** YYYY-MM-DD */
  onset: string;
  resolved: boolean;
  /** YYYY-MM-DD, when resolved */
  abatement: string;
}

export const today = (now: Date = new Date()): string => {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
};

export const emptyAllergyForm = (now?: Date): AllergyForm => ({
  type: 'allergy',
  substance: '',
  reaction: '',
  severity: '',
  verification: 'unconfirmed',
  criticality: 'low',
  category: 'medication',
  recordedDate: today(now),
  active: true,
});

export const emptyFlagForm = (now?: Date): FlagForm => ({ text: '', category: 'clinical', start: today(now), active: true });

export const emptyProblemForm = (now?: Date): ProblemForm => ({ code: '', onset: today(now), resolved: false, abatement: today(now) });

/** The medicines the seed codes with ATC, so a penicillin written here reads like the journal's own. */
const KNOWN_SUBSTANCES: Record<string, { code: string; display: string }> = {
  penicillin: { code: 'J01CE', display: 'Betalaktamasefølsomme penicilliner' },
  'trimetoprim-sulfa': { code: 'J01EE01', display: 'sulfametoksazol og trimetoprim' },
  nsaid: { code: 'M01A', display: 'Antiinflammatoriske og antirevmatiske midler, ekskl. steroider' },
};

const text = (value: string, empty: RecordBuildErrorCode | undefined): string => {
  const trimmed = value.trim();
  if (empty && trimmed === '') {
    throw new RecordBuildError(empty);
  }
  if (trimmed.length > MAX_RECORD_TEXT) {
    throw new RecordBuildError('TOO_LONG');
  }
  return trimmed;
};

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const day = (value: string): string => {
  if (!DATE.test(value) || time(`${value}T00:00:00Z`) === undefined || new Date(`${value}T00:00:00Z`).toISOString().slice(0, 10) !== value) {
    throw new RecordBuildError('BAD_DATE');
  }
  return value;
};

const coded = (system: string, code: string, display: string) => ({ coding: [{ system, code, display }] });
const DISPLAY: Record<string, string> = {
  active: 'Active',
  inactive: 'Inactive',
  resolved: 'Resolved',
  confirmed: 'Confirmed',
  unconfirmed: 'Unconfirmed',
};

/** The start of the edited version: everything it says, so a change never drops what this form does not show. */
const baseOf = (base: Json | undefined, resourceType: string): Json => {
  if (!base) {
    return { resourceType };
  }
  const copy: Json = { ...base, resourceType };
  const versionId = str(obj(base.meta)?.versionId, 64);
  // The version edited travels as meta.versionId (core makes it the If-Match); the rest of meta is the journal's.
  if (versionId) {
    copy.meta = { versionId };
  } else {
    delete copy.meta;
  }
  return copy;
};

/** @throws RecordBuildError for an empty substance, a text too long, or a bad date */
export const allergyResource = (form: AllergyForm, patientId: string, base?: Json): Json => {
  const substance = text(form.substance, 'EMPTY_SUBSTANCE');
  const reaction = text(form.reaction, undefined);
  const recorded = day(form.recordedDate);
  const atc = KNOWN_SUBSTANCES[substance.toLowerCase()];
  const code = atc ? { ...coded(ATC_SYSTEM, atc.code, atc.display), text: substance } : { text: substance };
  const clinical = form.active ? 'active' : 'inactive';
  const resource: Json = {
    ...baseOf(base, 'AllergyIntolerance'),
    clinicalStatus: coded(ALLERGY_CLINICAL_SYSTEM, clinical, DISPLAY[clinical] ?? clinical),
    verificationStatus: coded(ALLERGY_VERIFICATION_SYSTEM, form.verification, DISPLAY[form.verification] ?? form.verification),
    type: form.type,
    category: [form.category],
    criticality: form.criticality,
    code,
    patient: { reference: `Patient/${patientId}` },
    recordedDate: recorded,
  };
  if (reaction === '' && form.severity !== '') {
    // A severity belongs to a reaction (FHIR: a reaction has at least one manifestation).
    throw new RecordBuildError('SEVERITY_WITHOUT_REACTION');
  }
  if (reaction !== '') {
    resource.reaction = [{ substance: code, manifestation: [{ text: reaction }], ...(form.severity !== '' ? { severity: form.severity } : {}) }];
  } else {
    delete resource.reaction;
  }
  return resource;
};

const oneOf = <T extends string>(values: readonly T[], value: unknown, fallback: T): T => ((values as readonly unknown[]).includes(value) ? (value as T) : fallback);
const dayOf = (value: unknown, fallback: string): string => {
  const v = str(value, 40)?.slice(0, 10);
  return v && DATE.test(v) ? v : fallback;
};

/** The form that edits an AllergyIntolerance, read defensively: whatever is missing starts as a new form's. */
export const allergyFormFrom = (resource: Json, now?: Date): AllergyForm => {
  const empty = emptyAllergyForm(now);
  const reactions = arr(resource.reaction).map(obj).filter((r): r is Json => r !== undefined);
  const first = reactions[0];
  const manifestation = first ? concept(arr(first.manifestation)[0]).text : undefined;
  const substance = concept(resource.code).text ?? concept(first?.substance).text ?? '';
  const clinical = concept(resource.clinicalStatus).code;
  return {
    type: oneOf(allergyKinds, resource.type, empty.type),
    substance,
    reaction: manifestation ?? '',
    severity: oneOf(severities, first?.severity, ''),
    verification: oneOf(verifications, concept(resource.verificationStatus).code, empty.verification),
    criticality: oneOf(criticalities, resource.criticality, empty.criticality),
    category: oneOf(allergyCategories, arr(resource.category)[0], empty.category),
    recordedDate: dayOf(resource.recordedDate ?? resource.onsetDateTime, empty.recordedDate),
    active: clinical !== 'inactive' && clinical !== 'resolved',
  };
};

const CAVE_PREFIX = 'CAVE: ';

/** Other critical information (a pacemaker, an anaesthesia complication) as a Flag, as the seed writes CAVE. */
export const flagResource = (form: FlagForm, patientId: string, now: Date = new Date(), base?: Json): Json => {
  const body = text(form.text.trim().startsWith(CAVE_PREFIX.trim()) ? form.text.trim().slice(CAVE_PREFIX.trim().length) : form.text, 'EMPTY_TEXT');
  const start = day(form.start);
  const ended = obj(base?.period)?.end;
  return {
    ...baseOf(base, 'Flag'),
    status: form.active ? 'active' : 'inactive',
    category: [coded(FLAG_CATEGORY_SYSTEM, form.category, form.category === 'drug' ? 'Drug' : 'Clinical')],
    code: { text: `${CAVE_PREFIX}${body}` },
    subject: { reference: `Patient/${patientId}` },
    period: form.active ? { start } : { start, end: typeof ended === 'string' ? ended : today(now) },
  };
};

export const flagFormFrom = (resource: Json, now?: Date): FlagForm => {
  const empty = emptyFlagForm(now);
  const whole = concept(resource.code).text ?? '';
  return {
    text: whole.startsWith(CAVE_PREFIX) ? whole.slice(CAVE_PREFIX.length) : whole,
    category: codings(arr(resource.category)[0]).some((c) => c.code === 'drug') ? 'drug' : 'clinical',
    start: dayOf(obj(resource.period)?.start, empty.start),
    active: resource.status === 'active',
  };
};

/** A problem on the problem list: ICPC-2 coded, with its onset, and when it resolved. */
export const problemResource = (form: ProblemForm, patientId: string, base?: Json): Json => {
  const code = form.code.trim().toUpperCase();
  if (code === '') {
    throw new RecordBuildError('NO_CODE');
  }
  if (!isIcpc2Code(code)) {
    throw new RecordBuildError('UNKNOWN_CODE');
  }
  const coding = icpc2Coding(code);
  const onset = day(form.onset);
  const abatement = form.resolved ? day(form.abatement) : undefined;
  if (abatement !== undefined && abatement < onset) {
    throw new RecordBuildError('RESOLVED_BEFORE_ONSET');
  }
  const clinical = form.resolved ? 'resolved' : 'active';
  const resource: Json = {
    ...baseOf(base, 'Condition'),
    clinicalStatus: coded(CONDITION_CLINICAL_SYSTEM, clinical, DISPLAY[clinical] ?? clinical),
    verificationStatus: base?.verificationStatus ?? coded(CONDITION_VERIFICATION_SYSTEM, 'confirmed', 'Confirmed'),
    category: base?.category ?? [coded(CONDITION_CATEGORY_SYSTEM, 'problem-list-item', 'Problem List Item')],
    code: { coding: [coding], text: coding.display },
    subject: { reference: `Patient/${patientId}` },
    onsetDateTime: onset,
    recordedDate: str(base?.recordedDate, 40) ?? today(),
  };
  if (abatement !== undefined) {
    resource.abatementDateTime = abatement;
  } else {
    delete resource.abatementDateTime;
    delete resource.abatementPeriod;
  }
  return resource;
};

export const problemFormFrom = (resource: Json, now?: Date): ProblemForm => {
  const empty = emptyProblemForm(now);
  const icpc = codings(resource.code).find((c) => c.system === ICPC2_SYSTEM || c.system === ICPC2_SYSTEM_ALIAS);
  const status = concept(resource.clinicalStatus).code;
  const resolved = status === 'resolved' || status === 'inactive' || status === 'remission';
  return {
    code: icpc?.code && isIcpc2Code(icpc.code) ? icpc2Coding(icpc.code).code : '',
    onset: dayOf(resource.onsetDateTime ?? obj(resource.onsetPeriod)?.start ?? resource.recordedDate, empty.onset),
    resolved,
    abatement: dayOf(resource.abatementDateTime ?? obj(resource.abatementPeriod)?.end, empty.abatement),
  };
};
