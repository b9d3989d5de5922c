import { icd10Coding } from '../../shared/terminology';
import type { TerminologyCoding } from '../../shared/terminology';
import { DAY, MINUTE, norwegianDate, YEAR_DAYS } from './calendar';
import type { ChronicKey } from './chronic-problems';
import type { ChronicCase } from './health-profile';
import type { HospitalDepartment } from './hospital';
import type { Medication } from './medications';
import { decimal, duration, side, temperature } from './note-text';
import type { Person } from './patient';
import type { Random } from './random';

/**
 * Hospital stays: which patients are admitted, why, for how long, and the discharge letter
 * (epikrise) the hospital sends the GP afterwards, in Norwegian clinical prose with the numbers of
 * the stay filled in. Drawn from a stream of the patient's own (see population.ts), so a stay adds
 * resources to a patient's history without changing any that were there before.
 *
 * Who: adults with a long-term problem, and everyone from 70, about one in four of them, 1-3
 * stays over the history window. Why: an exacerbation of what they have (heart failure, COPD,
 * atrial fibrillation, coronary disease) or what brings old people in (pneumonia, urosepsis, a
 * hip fracture). Diagnoses are ICD-10, as hospitals code them (the GP's list stays ICPC-2).
 */
export type AdmissionKey = 'heart-failure' | 'copd-exacerbation' | 'atrial-fibrillation' | 'nstemi' | 'pneumonia' | 'urosepsis' | 'hip-fracture';

interface Candidate {
  readonly has: (key: ChronicKey) => boolean;
  readonly age: number;
}

export interface AdmissionKind {
  readonly key: AdmissionKey;
  /** main diagnosis, ICD-10 as written in Norway (no dot) */
  readonly icd10: string;
  readonly department: HospitalDepartment;
  /** length of stay in days, both included */
  readonly stayDays: readonly [number, number];
  /** CRP at admission, mg/L */
  readonly crp: readonly [number, number];
  /** CRP still rises the first night (bacterial infection) */
  readonly infection: boolean;
  /** share by which eGFR is down at admission (prerenal strain), mostly recovered by discharge */
  readonly egfrDip: readonly [number, number];
  /** g/dL haemoglobin falls from the first day (bleeding at surgery) */
  readonly hbDrop: readonly [number, number];
  readonly weight: (candidate: Candidate) => number;
}

const ADMISSIONS: ReadonlyArray<AdmissionKind> = [
  {
    key: 'heart-failure',
    icd10: 'I500',
    department: 'medical',
    stayDays: [4, 9],
    crp: [3, 20],
    infection: false,
    egfrDip: [0.1, 0.3],
    hbDrop: [0, 0],
    weight: ({ has }) => (has('heart-failure') ? 3 : 0),
  },
  {
    key: 'copd-exacerbation',
    icd10: 'J441',
    department: 'medical',
    stayDays: [3, 7],
    crp: [10, 120],
    infection: true,
    egfrDip: [0, 0.1],
    hbDrop: [0, 0],
    weight: ({ has }) => (has('copd') ? 3 : 0),
  },
  {
    key: 'atrial-fibrillation',
    icd10: 'I480',
    department: 'medical',
    stayDays: [2, 4],
    crp: [1, 8],
    infection: false,
    egfrDip: [0, 0.05],
    hbDrop: [0, 0],
    weight: ({ has }) => (has('atrial-fibrillation') ? 2 : 0),
  },
  {
    key: 'nstemi',
    icd10: 'I214',
    department: 'medical',
    stayDays: [3, 6],
    crp: [2, 15],
    infection: false,
    egfrDip: [0, 0.1],
    hbDrop: [0, 0.6],
    weight: ({ has, age }) =>
      has('angina') ? 2 : age >= 50 && (has('hypertension') || has('diabetes-2') || has('hyperlipidaemia')) ? 0.5 : 0,
  },
  {
    key: 'pneumonia',
    icd10: 'J189',
    department: 'medical',
    stayDays: [3, 8],
    crp: [60, 320],
    infection: true,
    egfrDip: [0.05, 0.25],
    hbDrop: [0, 0],
    weight: ({ has, age }) => (age >= 65 ? 1 : 0.3) + (has('copd') || has('heart-failure') ? 0.5 : 0),
  },
  {
    key: 'urosepsis',
    icd10: 'N390',
    department: 'medical',
    stayDays: [3, 7],
    crp: [80, 300],
    infection: true,
    egfrDip: [0.15, 0.4],
    hbDrop: [0, 0],
    weight: ({ has, age }) => (age >= 70 ? 0.8 : 0.1) + (has('diabetes-2') ? 0.3 : 0),
  },
  {
    key: 'hip-fracture',
    icd10: 'S720',
    department: 'orthopaedic',
    stayDays: [5, 10],
    crp: [2, 12],
    infection: false,
    egfrDip: [0, 0.15],
    hbDrop: [1.8, 3.2],
    weight: ({ age }) => (age >= 80 ? 0.9 : age >= 70 ? 0.4 : age >= 60 ? 0.1 : 0),
  },
];

/** Share of eligible patients with any stay, and how many stays they have. */
const STAY_SHARE = 0.25;
const STAY_COUNTS: ReadonlyArray<readonly [number, number]> = [[1, 0.6], [2, 0.3], [3, 0.1]];
/** No two stays of a patient within this many days of each other. */
const STAY_GAP_DAYS = 45;

export interface HospitalStayEvent {
  readonly kind: 'hospital';
  readonly day: number;
  /** admission */
  readonly start: number;
  readonly dischargeDay: number;
  readonly discharge: number;
  readonly admission: AdmissionKind;
}

/**
 * A patient's stays in the history window. `busyDays` are the days of the patient's other
 * contacts: a stay is never planned over one (nobody sees their GP while in hospital), and the
 * stay ends at least two days before the last day so its letter is written in the window.
 */
export const planHospitalStays = (
  random: Random,
  person: Person,
  chronic: ReadonlyArray<ChronicCase>,
  window: { readonly firstDay: number; readonly lastDay: number; readonly busyDays: ReadonlySet<number> },
): HospitalStayEvent[] => {
  const { firstDay, lastDay, busyDays } = window;
  const latestAdmission = lastDay - 14;
  const ageNow = (lastDay - person.birthDay) / YEAR_DAYS;
  // Adults only: children are admitted to a paediatric ward, which this hospital does not model.
  const earliestAdmission = Math.max(firstDay, person.birthDay + Math.ceil(18 * YEAR_DAYS));
  const followed = chronic.some((found) => (found.resolvedDay ?? lastDay) >= firstDay);
  if ((!followed && ageNow < 70) || latestAdmission - earliestAdmission < 60 || !random.chance(STAY_SHARE)) {
    return [];
  }
  const stays: HospitalStayEvent[] = [];
  const count = random.weighted(STAY_COUNTS);
  for (let i = 0; i < count; i += 1) {
    const day = random.int(earliestAdmission, latestAdmission);
    const age = (day - person.birthDay) / YEAR_DAYS;
    const active = new Set(
      chronic.filter((found) => found.onsetDay <= day && (found.resolvedDay ?? lastDay) >= day).map((found) => found.problem.key),
    );
    const candidates = ADMISSIONS.map((kind) => [kind, kind.weight({ has: (key) => active.has(key), age })] as const).filter(
      ([, weight]) => weight > 0,
    );
    if (candidates.length === 0) {
      continue;
    }
    const admission = random.weighted(candidates);
    const dischargeDay = Math.min(lastDay - 2, day + random.int(admission.stayDays[0], admission.stayDays[1]));
    const clash =
      stays.some((stay) => Math.abs(stay.day - day) < STAY_GAP_DAYS) ||
      Array.from({ length: dischargeDay - day + 1 }, (_, offset) => day + offset).some((inside) => busyDays.has(inside));
    if (clash) {
      continue;
    }
    stays.push({
      kind: 'hospital',
      day,
      // Admitted through the emergency department at any hour from 06 to 21 UTC; discharged late morning.
      start: day * DAY + random.int(6 * 12, 21 * 12) * 5 * MINUTE,
      dischargeDay,
      discharge: dischargeDay * DAY + random.int(9 * 12, 13 * 12) * 5 * MINUTE,
      admission,
    });
  }
  return stays.sort((a, b) => a.start - b.start);
};

/** ICD-10 of the long-term problems, for the letter's secondary diagnoses. */
const CHRONIC_ICD10: Record<ChronicKey, string> = {
  'diabetes-2': 'E119',
  'diabetes-1': 'E109',
  hypertension: 'I10',
  asthma: 'J459',
  copd: 'J449',
  depression: 'F329',
  anxiety: 'F419',
  'atrial-fibrillation': 'I489',
  hypothyroidism: 'E039',
  'heart-failure': 'I509',
  angina: 'I209',
  hyperlipidaemia: 'E785',
  'hip-arthrosis': 'M169',
  'knee-arthrosis': 'M179',
  migraine: 'G439',
  eczema: 'L309',
};

/** "I50.0 Kongestiv hjertesvikt": the code with its dot, as a letter prints it. */
const printed = (coding: TerminologyCoding): string =>
  `${coding.code.length > 3 ? `${coding.code.slice(0, 3)}.${coding.code.slice(3)}` : coding.code} ${coding.display}`;

export const mainDiagnosis = (kind: AdmissionKind): TerminologyCoding => icd10Coding(kind.icd10);

/** What the hospital measured, as the letter quotes it. */
export interface StayLabs {
  readonly crpIn: number;
  readonly crpOut: number;
  readonly egfrIn: number;
  readonly egfrOut: number;
  readonly creatinineOut: number;
  readonly hbLowest: number;
  readonly hbOut: number;
}

export interface LetterContext {
  readonly random: Random;
  readonly age: number;
  readonly gender: 'female' | 'male';
  readonly stayDays: number;
  readonly dischargeDay: number;
  readonly labs: StayLabs;
  /** what the patient took when admitted (the GP's medication list) */
  readonly medications: ReadonlyArray<Medication>;
  /** long-term problems active during the stay */
  readonly chronic: ReadonlyArray<ChronicKey>;
  readonly penicillinAllergy: boolean;
}

/** The five sections of a Norwegian discharge letter, each a list of paragraphs. */
export interface DischargeText {
  readonly innleggelsesarsak: string[];
  readonly forlop: string[];
  readonly diagnoser: string[];
  readonly medikamenter: string[];
  readonly plan: string[];
}

/** A change the stay made to the medication list. */
interface Change {
  readonly text: string;
  /** the ATC group it replaces on the list, when it changes a medicine the patient had */
  readonly replaces?: string;
}

interface Clinical {
  readonly reason: string;
  readonly course: string[];
  readonly secondary?: string;
  readonly changes: Change[];
  readonly plan: string[];
}

const untilDay = (day: number): string => norwegianDate(day * DAY);

const hasAtc = (context: LetterContext, prefix: string): boolean => context.medications.some((medication) => medication.atc.startsWith(prefix));

const kidneys = ({ labs }: LetterContext): string =>
  labs.egfrIn < labs.egfrOut - 4
    ? `Forbigående nedsatt nyrefunksjon med eGFR ${labs.egfrIn} ved innkomst, bedret til ${labs.egfrOut} (kreatinin ${labs.creatinineOut} µmol/L) ved utreise.`
    : `Stabil nyrefunksjon, eGFR ${labs.egfrOut} (kreatinin ${labs.creatinineOut} µmol/L) ved utreise.`;

const CLINICAL: Record<AdmissionKey, (context: LetterContext) => Clinical> = {
  'heart-failure': (context) => {
    const { random, labs } = context;
    const onFurosemide = hasAtc(context, 'C03CA01');
    return {
      reason: `Innlagt via legevakt med tiltagende tung pust gjennom ${duration(random.int(3, 10))}, ortopné og økende ødemer i begge legger. Vektøkning ${random.int(2, 6)} kg siste uke. Kjent hjertesvikt.`,
      course: [
        `Ved innkomst respirasjonsfrekvens ${random.int(22, 30)}, SpO2 ${random.int(88, 94)} % på romluft, knatrelyder basalt bilateralt og pittingødem til knærne. Røntgen thorax viste stuvning og små pleuravæsker bilateralt, NT-proBNP ${random.int(3, 12) * 500} ng/L.`,
        `Behandlet med furosemid intravenøst med god diurese og vektreduksjon ${random.int(3, 7)} kg under oppholdet. ${kidneys(context)} CRP ${labs.crpIn} mg/L, ingen holdepunkter for infeksjon. Mobilisert uten oksygenbehov og utskrives i stabil tilstand.`,
      ],
      changes: [onFurosemide ? { text: 'Furix 40 mg tablett – økt til 1 tablett 2 ganger daglig (endret)', replaces: 'C03CA01' } : { text: 'Furix 40 mg tablett – 1 tablett om morgenen (ny)' }],
      plan: [
        'Daglig vekt hjemme; kontakt fastlege ved vektøkning over 2 kg på tre dager.',
        'Kontroll hos fastlege om 1–2 uker med kreatinin, natrium og kalium; vurder da å redusere furosemid igjen.',
        'Kontroll ved hjertesviktpoliklinikken om 3 måneder, innkalling kommer.',
      ],
    };
  },
  'copd-exacerbation': (context) => {
    const { random, labs, dischargeDay } = context;
    const antibiotic = labs.crpIn >= 40;
    return {
      reason: `Innlagt med økende tung pust og hoste med ${antibiotic ? 'misfarget' : 'seigt'} ekspektorat gjennom ${duration(random.int(3, 8))}, lite effekt av hyppigere bruk av Ventoline hjemme. Kjent KOLS.`,
      course: [
        `Ved innkomst SpO2 ${random.int(85, 91)} % på romluft, forlenget ekspirium og spredte pipelyder. Arteriell blodgass uten hyperkapni. CRP ${labs.crpIn} mg/L.`,
        `Behandlet med forstøverinhalasjoner, prednisolon${antibiotic ? ' og doksysyklin' : ''} og oksygen med lav flow de første døgnene. Gradvis bedring; CRP ${labs.crpOut} mg/L ved utreise. Mobilisert på romluft med SpO2 ${random.int(92, 95)} %.`,
      ],
      changes: [
        { text: `Prednisolon 20 mg tablett – 2 tabletter daglig til og med ${untilDay(dischargeDay + 2)}, deretter slutt (ny, kortvarig)` },
        ...(antibiotic ? [{ text: `Doksysyklin 100 mg tablett – 1 tablett daglig til og med ${untilDay(dischargeDay + 4)} (ny, kortvarig)` }] : []),
      ],
      plan: [
        'Kontroll hos fastlege om 2 uker. Inhalasjonsteknikk er gjennomgått med pasienten.',
        'Vurder henvisning til lungerehabilitering. Røykeslutt er anbefalt og diskutert.',
      ],
    };
  },
  'atrial-fibrillation': (context) => {
    const { random, age } = context;
    const anticoagulated = hasAtc(context, 'B01AA') || hasAtc(context, 'B01AF');
    const betaBlocker = hasAtc(context, 'C07AB');
    const converted = random.chance(0.5);
    return {
      reason: `Innlagt med hjertebank, slapphet og lett tung pust siden ${random.pick(['natt til innleggelsesdagen', 'dagen før innleggelsen', 'to dager før innleggelsen'])}. EKG på legevakt viste atrieflimmer med ventrikkelfrekvens ${random.int(12, 17) * 10}/min.`,
      course: [
        `Telemetri viste atrieflimmer med rask ventrikkelfrekvens, som ble kontrollert med betablokker. ${converted ? 'Elektrokonvertert til sinusrytme etter transøsofageal ekkokardiografi uten trombe.' : 'Spontan konvertering til sinusrytme andre døgn.'}`,
        `Ekkokardiografi med normal venstre ventrikkelfunksjon. TSH og elektrolytter normale. CHA₂DS₂-VASc ${Math.min(6, (age >= 75 ? 2 : age >= 65 ? 1 : 0) + random.int(1, 3))}.`,
      ],
      changes: [
        ...(anticoagulated ? [] : [{ text: 'Eliquis 5 mg tablett – 1 tablett 2 ganger daglig (ny)' }]),
        ...(betaBlocker ? [] : [{ text: 'Metoprolol depot 50 mg tablett – 1 tablett daglig (ny)' }]),
      ],
      plan: [
        'Antikoagulasjon fortsetter uten planlagt stopp.',
        'Kontroll hos fastlege om 4 uker med puls, blodtrykk, Hb og kreatinin. Ny innleggelse ved vedvarende hjertebank eller svimmelhet.',
      ],
    };
  },
  nstemi: (context) => {
    const { random } = context;
    const onAspirin = hasAtc(context, 'B01AC06');
    const onStatin = hasAtc(context, 'C10AA');
    return {
      reason: `Innlagt med trykkende brystsmerter med utstråling til venstre arm, varighet om lag ${random.int(3, 9) * 10} minutter i hvile.`,
      course: [
        `EKG med ST-depresjoner lateralt; troponin T steg fra ${random.int(20, 60)} til ${random.int(150, 900)} ng/L.`,
        `Koronar angiografi viste signifikant stenose i ${random.pick(['RCA', 'LAD', 'CX'])}, behandlet med PCI og medikamentavgivende stent. Ukomplisert forløp, mobilisert etter protokoll. Ekkokardiografi med lett nedsatt funksjon i infarktområdet.`,
      ],
      changes: [
        { text: 'Brilique 90 mg tablett – 1 tablett 2 ganger daglig i 12 måneder (ny)' },
        ...(onAspirin ? [] : [{ text: 'Albyl-E 75 mg enterotablett – 1 tablett daglig (ny)' }]),
        onStatin ? { text: 'Atorvastatin 80 mg tablett – 1 tablett daglig (endret)', replaces: 'C10AA' } : { text: 'Atorvastatin 80 mg tablett – 1 tablett daglig (ny)' },
        ...(hasAtc(context, 'C07AB') ? [] : [{ text: 'Metoprolol depot 50 mg tablett – 1 tablett daglig (ny)' }]),
      ],
      plan: [
        'Dobbel platehemming i 12 måneder, deretter Albyl-E alene.',
        'Mål for LDL under 1,4 mmol/L: lipidkontroll hos fastlege om 6–8 uker. Henvist til hjerterehabilitering. Bilkjøring tidligst etter en uke.',
      ],
    };
  },
  pneumonia: (context) => {
    const { random, labs, age, dischargeDay, penicillinAllergy } = context;
    const confused = age >= 80 && random.chance(0.5);
    return {
      reason: `Innlagt med feber ${temperature(random, true)}, hoste og tung pust gjennom ${duration(random.int(2, 7))}.${confused ? ' Pårørende har merket økende forvirring.' : ''}`,
      course: [
        `Ved innkomst SpO2 ${random.int(86, 93)} %, respirasjonsfrekvens ${random.int(22, 30)}. Røntgen thorax viste infiltrat i ${side(random)} underlapp. CRP ${labs.crpIn} mg/L.`,
        `Behandlet med ${penicillinAllergy ? 'klindamycin (penicillinallergi)' : 'benzylpenicillin'} intravenøst, overgang til tabletter etter ${random.int(2, 3)} døgn. Feberfri og klinisk bedre; CRP ${labs.crpOut} mg/L ved utreise. ${kidneys(context)}`,
      ],
      changes: [
        penicillinAllergy
          ? { text: `Doksysyklin 100 mg tablett – 1 tablett daglig til og med ${untilDay(dischargeDay + 4)} (ny, kortvarig; penicillinallergi)` }
          : { text: `Fenoksymetylpenicillin 1 g tablett – 1 tablett 4 ganger daglig til og med ${untilDay(dischargeDay + 4)} (ny, kortvarig)` },
      ],
      plan: [
        `Antibiotikakuren fullføres til og med ${untilDay(dischargeDay + 4)}.`,
        'Kontroll hos fastlege om 6 uker; røntgen thorax ved vedvarende symptomer.',
      ],
    };
  },
  urosepsis: (context) => {
    const { random, labs, dischargeDay, penicillinAllergy } = context;
    return {
      reason: `Innlagt med feber, frostanfall og redusert allmenntilstand siste døgn, svie ved vannlating${random.chance(0.4) ? ' og smerter i flanken' : ''}.`,
      course: [
        `Ved innkomst temperatur ${temperature(random, true)}, blodtrykk ${random.int(88, 110)}/${random.int(50, 65)}, puls ${random.int(100, 125)}. CRP ${labs.crpIn} mg/L. Urinstiks positiv for leukocytter og nitritt; E. coli i urin og blodkultur, følsom for mecillinam og ciprofloksacin.`,
        `Behandlet med ${penicillinAllergy ? 'cefotaksim (penicillinallergi)' : 'ampicillin og gentamicin'} intravenøst og væske, rask bedring. CRP ${labs.crpOut} mg/L ved utreise. ${kidneys(context)}`,
      ],
      secondary: 'A419',
      changes: [
        penicillinAllergy
          ? { text: `Ciprofloksacin 500 mg tablett – 1 tablett 2 ganger daglig til og med ${untilDay(dischargeDay + 5)} (ny, kortvarig)` }
          : { text: `Pivmecillinam 400 mg tablett – 1 tablett 3 ganger daglig til og med ${untilDay(dischargeDay + 5)} (ny, kortvarig)` },
      ],
      plan: [`Antibiotika avsluttes ${untilDay(dischargeDay + 5)}.`, 'Kontroll hos fastlege med kreatinin om 1–2 uker. Ny urinprøve bare ved nye symptomer.'],
    };
  },
  'hip-fracture': (context) => {
    const { random, labs, age, dischargeDay } = context;
    const displaced = random.chance(0.6);
    const fracture = side(random);
    return {
      reason: `Innlagt etter fall i hjemmet med smerter i ${fracture} hofte; benet var forkortet og utadrotert.`,
      course: [
        `Røntgen viste ${displaced ? 'dislokert' : 'udislokert'} lårhalsbrudd på ${fracture} side. Operert dagen etter innleggelsen med ${displaced ? 'hemiprotese' : 'to skruer (osteosyntese)'}.`,
        `Postoperativt Hb-fall til ${decimal(labs.hbLowest, 1)} g/dL, ${labs.hbLowest < 9 ? 'gitt to enheter erytrocytter' : 'ikke transfusjonstrengende'}; Hb ${decimal(labs.hbOut, 1)} g/dL ved utreise. Mobilisert med gåstol ved fysioterapeut fra første postoperative dag, full belastning tillatt.${age >= 80 && random.chance(0.4) ? ' Forbigående delirium de første postoperative døgnene.' : ''}`,
      ],
      changes: [
        { text: `Fragmin 5000 IE injeksjon – 1 sprøyte daglig til og med ${untilDay(dischargeDay + 21)} (ny, kortvarig)` },
        ...(hasAtc(context, 'N02BE01') ? [] : [{ text: 'Paracetamol 500 mg tablett – 2 tabletter 4 ganger daglig (ny)' }]),
        { text: 'Calcigran Forte 1000 mg/800 IE tyggetablett – 1 tablett daglig (ny)' },
      ],
      plan: [
        `Sting fjernes hos fastlege etter 14 dager. Fragmin til og med ${untilDay(dischargeDay + 21)}. Hb-kontroll hos fastlege om 1–2 uker.`,
        'Vurder osteoporoseutredning (benmineralmåling) og fallforebyggende tiltak. Hjemmesykepleien er varslet.',
      ],
    };
  },
};

export const dischargeText = (kind: AdmissionKind, context: LetterContext): DischargeText => {
  const clinical = CLINICAL[kind.key](context);
  const main = mainDiagnosis(kind);
  const secondary = [
    ...(clinical.secondary === undefined ? [] : [clinical.secondary]),
    ...context.chronic.map((key) => CHRONIC_ICD10[key]).filter((code) => code !== kind.icd10),
  ];
  const replaced = new Set(clinical.changes.flatMap((change) => (change.replaces === undefined ? [] : [change.replaces])));
  const kept = context.medications.filter((medication) => ![...replaced].some((atc) => medication.atc.startsWith(atc)));
  return {
    innleggelsesarsak: [clinical.reason],
    forlop: [...clinical.course, `Liggetid ${duration(context.stayDays)}.`],
    diagnoser: [
      `Hoveddiagnose: ${printed(main)}`,
      ...(secondary.length === 0 ? [] : [`Bidiagnoser: ${[...new Set(secondary)].map((code) => printed(icd10Coding(code))).join('; ')}`]),
    ],
    medikamenter: [
      ...kept.map((medication) => `${medication.product} – ${medication.dosage.charAt(0).toLowerCase()}${medication.dosage.slice(1)} (uendret)`),
      ...clinical.changes.map((change) => change.text),
      ...(kept.length + clinical.changes.length === 0 ? ['Ingen faste legemidler.'] : []),
    ],
    plan: clinical.plan,
  };
};
