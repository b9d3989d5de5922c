import { icpc2Text } from '../../../shared/terminology/icpc2';
import { ICPC2_SYSTEM, ICPC2_SYSTEM_ALIAS } from '../../../shared/terminology/code-systems';
import { arr, codings, concept, num, obj, reference, str, time, type Json } from '../patient/fhir-read';
import { correctionOf } from '../patient/journal-note-codes';
import { summarisePatient, type PatientSummary } from '../patient/patient-summary';

/**
 * FHIR resources of one chart -> what each section of the chart shows. Pure: the components
 * only render what this returns, the bench and the property tests call it directly. Every read
 * is defensive (patient/fhir-read.ts): a resource with missing or hostile fields yields an item
 * with what could be read, never an exception.
 */

/** What an editable item of the chart carries for its form: 'Type/id', the version shown, the resource itself. */
export interface RecordRef {
  key: string;
  versionId: string | undefined;
  /** The workstation's id for the change that created it (urn:akson:client-id): links the local id it had to the journal's. */
  clientId: string | undefined;
  resource: Json;
}

export interface CriticalItem extends RecordRef {
  id: string;
  kind: 'allergy' | 'intolerance' | 'flag';
  text: string;
  reaction: string | undefined;
  severity: 'mild' | 'moderate' | 'severe' | undefined;
  /** High criticality, or a Flag: shown in red. */
  critical: boolean;
  verified: boolean | undefined;
  date: string | undefined;
  source: string | undefined;
}

export interface ProblemItem extends RecordRef {
  id: string;
  code: string | undefined;
  /** Norwegian text from the ICPC-2 list, else the record's own text. */
  text: string;
  /** The code is ICPC-2 but not in the list (shown as such, never hidden). */
  unknownCode: boolean;
  onset: string | undefined;
  resolved: string | undefined;
}

export interface MedicationItem {
  id: string;
  name: string;
  substance: string | undefined;
  atc: string | undefined;
  dosage: string | undefined;
  since: string | undefined;
  until: string | undefined;
}

export type TimelineKind = 'note' | 'encounter' | 'document';
export type TimelineSource = 'own' | 'emergency' | 'hospital';

export interface TimelineItem {
  key: string;
  resourceType: string;
  id: string;
  kind: TimelineKind;
  source: TimelineSource;
  date: string | undefined;
  at: number;
  title: string;
  author: string | undefined;
  status: string | undefined;
  /** Lower-cased plain text for the timeline's text search. */
  searchText: string;
  /** An encounter a note documents: the note stands for it in the timeline (shown under "Kontakter"). */
  documented: boolean;
  /** This note corrects another, or marks it as entered in error. */
  corrects: 'correction' | 'entered-in-error' | undefined;
  /** A later signed note corrected this one (it stays, marked): who and when. */
  correctedBy: { kind: 'correction' | 'entered-in-error'; key: string; date: string | undefined; author: string | undefined } | undefined;
}

export interface LabPoint {
  id: string;
  at: number;
  date: string;
  values: (number | undefined)[];
  outOfRange: boolean;
  source: string | undefined;
}

export interface LabSeries {
  key: string;
  name: string;
  unit: string | undefined;
  /** One name per value of a point: ["HbA1c"], or ["Systolisk", "Diastolisk"] for blood pressure. */
  dimensions: string[];
  low: number | undefined;
  high: number | undefined;
  rangeText: string | undefined;
  points: LabPoint[];
  latest: LabPoint;
}

export interface ChartModel {
  patient: PatientSummary | undefined;
  critical: CriticalItem[];
  /** No longer active: kept out of the banner and the list, shown only where a change made here is under way. */
  criticalInactive: CriticalItem[];
  problems: { active: ProblemItem[]; resolved: ProblemItem[] };
  medications: { current: MedicationItem[]; stopped: MedicationItem[] };
  timeline: TimelineItem[];
  labs: LabSeries[];
}

const dateOf = (value: unknown): string | undefined => {
  const text = str(value, 40);
  return text && time(text) !== undefined ? text : undefined;
};

const byDateDesc = <T extends { at: number }>(a: T, b: T): number => b.at - a.at;

const refOf = (resource: Json): RecordRef => ({
  key: `${String(resource.resourceType)}/${str(resource.id, 64) ?? ''}`,
  versionId: str(obj(resource.meta)?.versionId, 64),
  clientId: str(arr(resource.identifier).map(obj).find((i) => i?.system === CLIENT_ID_SYSTEM)?.value, 64),
  resource,
});

const CLIENT_ID_SYSTEM = 'urn:akson:client-id';

/** The active critical information; with `inactive`, what is no longer so (inactive, resolved, refuted, entered in error). */
const criticalItems = (resources: readonly Json[], inactive = false): CriticalItem[] => {
  const items: CriticalItem[] = [];
  for (const resource of resources) {
    const id = str(resource.id, 64) ?? '';
    if (resource.resourceType === 'AllergyIntolerance') {
      const clinical = concept(resource.clinicalStatus).code;
      const verification = concept(resource.verificationStatus).code;
      if ((clinical === 'inactive' || clinical === 'resolved' || verification === 'entered-in-error' || verification === 'refuted') !== inactive) {
        continue;
      }
      const reactions = arr(resource.reaction).map(obj).filter((r): r is Json => r !== undefined);
      const severity = reactions.map((r) => r.severity).find((s): s is CriticalItem['severity'] => s === 'mild' || s === 'moderate' || s === 'severe');
      items.push({
        ...refOf(resource),
        id,
        kind: resource.type === 'intolerance' ? 'intolerance' : 'allergy',
        text: concept(resource.code).text ?? concept(reactions[0]?.substance).text ?? '?',
        reaction: reactions.flatMap((r) => arr(r.manifestation).map((m) => concept(m).text)).filter(Boolean).join(', ') || undefined,
        severity,
        critical: !inactive && (resource.criticality === 'high' || severity === 'severe'),
        verified: verification === undefined ? undefined : verification === 'confirmed',
        date: dateOf(resource.recordedDate) ?? dateOf(resource.onsetDateTime),
        source: reference(resource.recorder).display ?? reference(resource.asserter).display,
      });
    } else if (resource.resourceType === 'Flag') {
      if ((resource.status !== 'active') !== inactive) {
        continue;
      }
      items.push({
        ...refOf(resource),
        id,
        kind: 'flag',
        text: concept(resource.code).text ?? '?',
        reaction: undefined,
        severity: undefined,
        critical: !inactive,
        verified: undefined,
        date: dateOf(obj(resource.period)?.start),
        source: reference(resource.author).display,
      });
    }
  }
  // Critical first, then the newest.
  return items.sort((a, b) => Number(b.critical) - Number(a.critical) || (time(b.date) ?? 0) - (time(a.date) ?? 0));
};

const problemOf = (resource: Json): ProblemItem => {
  const all = codings(resource.code);
  const icpc = all.find((c) => c.system === ICPC2_SYSTEM || c.system === ICPC2_SYSTEM_ALIAS);
  const listed = icpc?.code ? icpc2Text(icpc.code) : undefined;
  const own = concept(resource.code);
  return {
    ...refOf(resource),
    id: str(resource.id, 64) ?? '',
    code: icpc?.code ?? own.code,
    text: listed ?? own.text ?? icpc?.display ?? '?',
    unknownCode: icpc?.code !== undefined && listed === undefined,
    onset: dateOf(resource.onsetDateTime) ?? dateOf(obj(resource.onsetPeriod)?.start) ?? dateOf(resource.recordedDate),
    resolved: dateOf(resource.abatementDateTime) ?? dateOf(obj(resource.abatementPeriod)?.end),
  };
};

const problems = (resources: readonly Json[]): ChartModel['problems'] => {
  const active: ProblemItem[] = [];
  const resolved: ProblemItem[] = [];
  for (const resource of resources) {
    if (resource.resourceType !== 'Condition' || concept(resource.verificationStatus).code === 'entered-in-error') {
      continue;
    }
    const status = concept(resource.clinicalStatus).code;
    (status === 'resolved' || status === 'inactive' || status === 'remission' ? resolved : active).push(problemOf(resource));
  }
  const byOnset = (a: ProblemItem, b: ProblemItem) => (time(b.onset) ?? 0) - (time(a.onset) ?? 0);
  return { active: active.sort(byOnset), resolved: resolved.sort((a, b) => (time(b.resolved) ?? 0) - (time(a.resolved) ?? 0)) };
};

const medications = (resources: readonly Json[], now: Date): ChartModel['medications'] => {
  const current: MedicationItem[] = [];
  const stopped: MedicationItem[] = [];
  for (const resource of resources) {
    if (resource.resourceType !== 'MedicationStatement' || resource.status === 'entered-in-error') {
      continue;
    }
    const medication = concept(resource.medicationCodeableConcept);
    const atc = codings(resource.medicationCodeableConcept).find((c) => c.system === 'http://www.whocc.no/atc');
    const period = obj(resource.effectivePeriod);
    const until = dateOf(period?.end);
    const item: MedicationItem = {
      id: str(resource.id, 64) ?? '',
      name: medication.text ?? atc?.display ?? reference(resource.medicationReference).display ?? '?',
      substance: atc?.display,
      atc: atc?.code,
      dosage: arr(resource.dosage).map((d) => str(obj(d)?.text, 500)).filter(Boolean).join('; ') || undefined,
      since: dateOf(period?.start) ?? dateOf(resource.effectiveDateTime) ?? dateOf(resource.dateAsserted),
      until,
    };
    const isStopped = resource.status === 'completed' || resource.status === 'stopped' || resource.status === 'not-taken' || (until !== undefined && (time(until) ?? 0) < now.getTime());
    (isStopped ? stopped : current).push(item);
  }
  return {
    current: current.sort((a, b) => a.name.localeCompare(b.name, 'nb')),
    stopped: stopped.sort((a, b) => (time(b.until) ?? 0) - (time(a.until) ?? 0)),
  };
};

const EMERGENCY_NOTE = '34111-5';
const DISCHARGE_SUMMARY = '18842-5';

/** Emergency centre or hospital, from the note's type or the encounter's class; our own office otherwise. */
const sourceOf = (resource: Json): TimelineSource => {
  if (resource.resourceType === 'Encounter') {
    const cls = str(obj(resource.class)?.code, 20);
    return cls === 'EMER' ? 'emergency' : cls === 'IMP' || cls === 'ACUTE' ? 'hospital' : 'own';
  }
  const types = codings(resource.type).map((c) => c.code);
  if (types.includes(EMERGENCY_NOTE)) {
    return 'emergency';
  }
  return types.includes(DISCHARGE_SUMMARY) || resource.resourceType === 'DocumentReference' ? 'hospital' : 'own';
};

/** Plain text of an XHTML narrative: tags dropped, entities decoded. The result is only ever rendered as text. */
export const narrativeParagraphs = (div: unknown): string[] => {
  // As long as a resource may be (the contract's 1 MB): a long note is shown whole, never cut.
  const html = str(div, 1_000_000);
  if (!html) {
    return [];
  }
  const decode = (text: string) =>
    text
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;|&apos;/g, "'")
      .replace(/&nbsp;/g, ' ')
      .replace(/&amp;/g, '&');
  return html
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
    .split(/<\/p>|<br\s*\/?>|<\/li>|<\/div>/i)
    .map((part) => decode(part.replace(/<[^>]*>/g, '')).trim())
    .filter((part) => part !== '');
};

const timeline = (resources: readonly Json[]): TimelineItem[] => {
  const items: TimelineItem[] = [];
  const documentedEncounters = new Set(
    resources.filter((r) => r.resourceType === 'Composition').map((r) => reference(r.encounter)).filter((r) => r.type === 'Encounter' && r.id).map((r) => r.id),
  );
  for (const resource of resources) {
    const type = resource.resourceType;
    const id = str(resource.id, 64) ?? '';
    if (type === 'Composition') {
      const sections = arr(resource.section).map(obj).filter((s): s is Json => s !== undefined);
      const text = sections.flatMap((s) => [str(s.title, 200) ?? '', ...narrativeParagraphs(obj(s.text)?.div)]).join(' ');
      const date = dateOf(resource.date);
      items.push({
        key: `Composition/${id}`,
        resourceType: type,
        id,
        kind: 'note',
        source: sourceOf(resource),
        date,
        at: time(date) ?? 0,
        title: str(resource.title, 300) ?? concept(resource.type).text ?? '?',
        author: arr(resource.author).map((a) => reference(a).display).find(Boolean),
        status: str(resource.status, 30),
        searchText: `${str(resource.title, 300) ?? ''} ${text}`.toLowerCase(),
        documented: false,
        corrects: undefined,
        correctedBy: undefined,
      });
    } else if (type === 'Encounter') {
      const period = obj(resource.period);
      const date = dateOf(period?.start);
      const reason = arr(resource.reasonCode).map((r) => concept(r).text).find(Boolean);
      const title = concept(arr(resource.type)[0]).text ?? reason ?? '?';
      items.push({
        key: `Encounter/${id}`,
        resourceType: type,
        id,
        kind: 'encounter',
        source: sourceOf(resource),
        date,
        at: time(date) ?? 0,
        title: reason && reason !== title ? `${title}: ${reason}` : title,
        author: reference(resource.serviceProvider).display,
        status: str(resource.status, 30),
        searchText: `${title} ${reason ?? ''}`.toLowerCase(),
        documented: documentedEncounters.has(id),
        corrects: undefined,
        correctedBy: undefined,
      });
    } else if (type === 'DocumentReference') {
      const date = dateOf(resource.date);
      const title = str(resource.description, 300) ?? concept(resource.type).text ?? '?';
      items.push({
        key: `DocumentReference/${id}`,
        resourceType: type,
        id,
        kind: 'document',
        source: sourceOf(resource),
        date,
        at: time(date) ?? 0,
        title,
        author: arr(resource.author).map((a) => reference(a).display).find(Boolean) ?? reference(resource.custodian).display,
        status: str(resource.status, 30),
        searchText: title.toLowerCase(),
        documented: false,
        corrects: undefined,
        correctedBy: undefined,
      });
    }
  }
  // Corrections never change the original: the original is marked from the notes that replace it.
  const byKey = new Map(items.map((item) => [item.key, item]));
  for (const resource of resources) {
    if (resource.resourceType !== 'Composition') {
      continue;
    }
    const correction = correctionOf(resource);
    const item = byKey.get(`Composition/${str(resource.id, 64) ?? ''}`);
    const original = correction ? byKey.get(correction.target) : undefined;
    if (correction && item) {
      item.corrects = correction.kind;
      if (original && original !== item && (!original.correctedBy || (time(original.correctedBy.date) ?? 0) < item.at)) {
        original.correctedBy = { kind: correction.kind, key: item.key, date: item.date, author: item.author };
      }
    }
  }
  return items.sort(byDateDesc);
};

/** Laboratory tests first in the order a GP looks for them; the rest by name. */
const LAB_ORDER = ['59261-8', '62238-1', '2160-0', '6301-6', '85354-9', '29463-7', '1988-5', '718-7'];

const quantityValue = (value: unknown): { value: number | undefined; unit: string | undefined } => {
  const q = obj(value);
  return { value: num(q?.value), unit: str(q?.unit, 40) };
};

const labs = (resources: readonly Json[]): LabSeries[] => {
  const series = new Map<string, Omit<LabSeries, 'latest'>>();
  for (const resource of resources) {
    if (resource.resourceType !== 'Observation' || resource.status === 'entered-in-error' || resource.status === 'cancelled') {
      continue;
    }
    const date = dateOf(resource.effectiveDateTime) ?? dateOf(obj(resource.effectivePeriod)?.start) ?? dateOf(resource.issued);
    const at = time(date);
    const code = concept(resource.code);
    if (at === undefined || !date || (!code.code && !code.text)) {
      continue;
    }
    const components = arr(resource.component).map(obj).filter((c): c is Json => c !== undefined);
    const single = quantityValue(resource.valueQuantity);
    const parts = components.length > 0 ? components.map((c) => ({ name: concept(c.code).text ?? '?', ...quantityValue(c.valueQuantity) })) : [{ name: code.text ?? code.code ?? '?', ...single }];
    if (parts.every((p) => p.value === undefined)) {
      continue;
    }
    const key = `${code.system ?? ''}|${code.code ?? code.text ?? ''}`;
    const range = obj(arr(resource.referenceRange)[0]);
    const low = num(obj(range?.low)?.value);
    const high = num(obj(range?.high)?.value);
    const interpretation = concept(arr(resource.interpretation)[0]).code;
    const first = parts[0]?.value;
    const outOfRange =
      interpretation === 'H' || interpretation === 'L' || interpretation === 'HH' || interpretation === 'LL' || interpretation === 'A' ||
      (first !== undefined && ((high !== undefined && first > high) || (low !== undefined && first < low)));
    let entry = series.get(key);
    if (!entry) {
      entry = {
        key,
        name: code.text ?? code.code ?? '?',
        unit: parts.find((p) => p.unit)?.unit,
        dimensions: parts.map((p) => p.name),
        low,
        high,
        rangeText: str(range?.text, 100),
        points: [],
      };
      series.set(key, entry);
    }
    entry.points.push({
      id: str(resource.id, 64) ?? '',
      at,
      date,
      values: entry.dimensions.map((_, i) => parts[i]?.value),
      outOfRange,
      source: arr(resource.performer).map((p) => reference(p).display).find(Boolean),
    });
  }
  const rank = (key: string) => {
    const index = LAB_ORDER.indexOf(key.split('|')[1] ?? '');
    return index === -1 ? LAB_ORDER.length : index;
  };
  return [...series.values()]
    .map((s) => {
      const points = s.points.sort((a, b) => a.at - b.at);
      return { ...s, points, latest: points[points.length - 1] as LabPoint };
    })
    .sort((a, b) => rank(a.key) - rank(b.key) || a.name.localeCompare(b.name, 'nb'));
};

/** The whole chart at a glance, from the resources chart.open answered. */
export const shapeChart = (resources: readonly unknown[], now: Date): ChartModel => {
  const valid = resources.map(obj).filter((r): r is Json => r !== undefined && typeof r.resourceType === 'string');
  const patient = valid.find((r) => r.resourceType === 'Patient');
  return {
    patient: patient ? summarisePatient(patient, now) : undefined,
    critical: criticalItems(valid),
    criticalInactive: criticalItems(valid, true),
    problems: problems(valid),
    medications: medications(valid, now),
    timeline: timeline(valid),
    labs: labs(valid),
  };
};
