import type { ChronicKey } from './chronic-problems';
import type { Medication } from './medications';
import { WARFARIN_ATC } from './medications';
import type { NoteText } from './note-text';
import { decimal } from './note-text';
import type { Random } from './random';

/**
 * Templates for the note of a follow-up visit for long-term problems. One visit often covers
 * several problems (diabetes and blood pressure together): each problem adds a paragraph to each
 * section, and the measurements of the visit open the findings once. The assessment and plan
 * follow the numbers: a rising HbA1c or a blood pressure over target changes what is written.
 */
export interface FollowUpFindings {
  readonly hba1c?: { readonly value: number; readonly previous: number | undefined };
  readonly bloodPressure?: { readonly systolic: number; readonly diastolic: number };
  readonly egfr?: number;
  readonly crp?: number;
}

export interface ChronicNoteContext {
  readonly random: Random;
  readonly age: number;
  readonly findings: FollowUpFindings;
  /** what the patient uses for this problem */
  readonly medications: ReadonlyArray<Medication>;
}

type Sections = { anamnese: string; funn?: string; vurdering: string; tiltak: string };
type Template = (context: ChronicNoteContext) => Sections;

const substances = (medications: ReadonlyArray<Medication>): string =>
  medications.map((medication) => medication.substance).join(' og ') || 'ikke-medikamentelle tiltak';

const glycaemia = ({ findings }: ChronicNoteContext): Pick<Sections, 'vurdering' | 'tiltak'> => {
  const hba1c = findings.hba1c;
  if (hba1c === undefined || hba1c.value <= 53) {
    return {
      vurdering: 'God glykemisk regulering, innenfor behandlingsmålet (≤ 53 mmol/mol).',
      tiltak: 'Fortsetter uendret behandling. Ny kontroll med HbA1c om 6–12 måneder.',
    };
  }
  const rising = hba1c.previous !== undefined && hba1c.value - hba1c.previous >= 4 ? ', stigende' : '';
  if (hba1c.value <= 63) {
    return {
      vurdering: `HbA1c noe over behandlingsmålet${rising}.`,
      tiltak: 'Gjennomgått kost og fysisk aktivitet. Ny HbA1c ved neste kontroll.',
    };
  }
  return {
    vurdering: `Dårlig regulert diabetes${rising}.`,
    tiltak: 'Intensiverer behandlingen etter samtale med pasienten. Tettere oppfølging fremover.',
  };
};

const TEMPLATES: Record<ChronicKey, Template> = {
  'diabetes-2': (context) => ({
    anamnese: `Kontroll av diabetes type 2. ${context.random.pick(['Føler seg i form.', 'Noe slappere siste tiden.'])} Ingen føling. Bruker ${substances(context.medications)} som avtalt.`,
    funn: context.random.chance(0.5) ? 'Fotundersøkelse: normal sensibilitet for monofilament, gode fotpulser.' : undefined,
    ...glycaemia(context),
  }),
  'diabetes-1': (context) => ({
    anamnese: `Kontroll av diabetes type 1. Bruker insulinpenn og sensor. ${context.random.pick(['Sjeldne, milde følinger.', 'Noen følinger om natten siste måned.'])}`,
    funn: context.random.chance(0.5) ? 'Injeksjonssteder uten lipohypertrofi.' : undefined,
    ...glycaemia(context),
  }),
  hypertension: ({ random, findings }) => {
    const overTarget = (findings.bloodPressure?.systolic ?? 0) >= 140;
    return {
      anamnese: `Blodtrykkskontroll. Ingen bivirkninger av medisinene. ${random.pick(['Måler hjemme, verdier rundt 135/85.', 'Går tur daglig.'])}`,
      vurdering: overTarget ? 'Blodtrykket over behandlingsmålet (< 140/90).' : 'Velregulert hypertensjon.',
      tiltak: overTarget
        ? 'Øker dosen. Ny kontroll om 6 uker med hjemmeblodtrykksmålinger.'
        : 'Fortsetter uendret. Ny kontroll om ett år.',
    };
  },
  asthma: ({ random }) => ({
    anamnese: `Astmakontroll. Bruker anfallsmedisin ${random.pick(['sjelden', 'noen ganger i uken'])}. Ingen nattlige symptomer.`,
    funn: `Lunger: normal respirasjonslyd, ingen pipelyder. PEF ${random.int(380, 560)} l/min.`,
    vurdering: 'Godt kontrollert astma.',
    tiltak: 'Fortsetter behandlingen. Gjennomgått inhalasjonsteknikk.',
  }),
  copd: ({ random }) => {
    const smokes = random.chance(0.4);
    return {
      anamnese: `KOLS-kontroll. Tungpust i motbakker, hoste om morgenen. ${smokes ? 'Røyker fortsatt 10 sigaretter daglig.' : 'Røykfri i flere år.'}`,
      funn: `SpO2 ${random.int(92, 96)} %. Forlenget ekspirium, spredte pipelyder.`,
      vurdering: 'Stabil KOLS, ingen tegn til forverring.',
      tiltak: `Fortsetter inhalasjonsbehandlingen. Influensa- og pneumokokkvaksine anbefalt.${smokes ? ' Røykeslutt diskutert, ønsker hjelp.' : ''}`,
    };
  },
  depression: ({ random, medications }) => ({
    anamnese: `Oppfølging av depresjon. ${random.pick(['Sover bedre og har mer overskudd, men fortsatt noe nedstemt.', 'Fortsatt tung periode, men fungerer i jobb.'])}`,
    funn: `Våken og orientert, god kontakt. Ikke suicidale tanker. MADRS ${random.int(10, 22)}.`,
    vurdering: 'Depresjon i langsom bedring.',
    tiltak: `Fortsetter med ${substances(medications)} og støttesamtaler. Ny time om 4 uker.`,
  }),
  anxiety: ({ random }) => ({
    anamnese: 'Oppfølging av angst. Færre panikkanfall, klarer å handle alene.',
    funn: `Rolig i samtalen. GAD-7 ${random.int(6, 13)}.`,
    vurdering: 'Angstlidelse i bedring.',
    tiltak: 'Fortsetter assistert selvhjelp med kognitiv tilnærming. Ny time om 6 uker.',
  }),
  'atrial-fibrillation': ({ random, medications }) => {
    const warfarin = medications.some((medication) => medication.atc === WARFARIN_ATC);
    return {
      anamnese: 'Kontroll av atrieflimmer. Merker av og til hjertebank, ingen brystsmerter eller besvimelser.',
      funn: `Uregelmessig puls ${random.int(68, 92)}.`,
      vurdering: `Frekvenskontrollert atrieflimmer. CHA2DS2-VASc ${random.int(2, 5)}.`,
      tiltak: warfarin
        ? 'Fortsetter warfarin; INR følges hos sykepleier.'
        : 'Fortsetter apiksaban, dosen vurdert mot alder, vekt og nyrefunksjon.',
    };
  },
  hypothyroidism: ({ random }) => ({
    anamnese: 'Kontroll av hypotyreose. I form, ingen symptomer.',
    funn: `TSH ${decimal(random.float(1.2, 3.8), 1)} mIU/L, fritt T4 ${random.int(14, 19)} pmol/L.`,
    vurdering: 'Velsubstituert hypotyreose.',
    tiltak: 'Fortsetter levotyroksin uendret. TSH om ett år.',
  }),
  'heart-failure': ({ random }) => ({
    anamnese: `Kontroll av hjertesvikt. Tungpust i trapper, sover med to puter. ${random.pick(['Vekten stabil.', 'Gått opp 1 kg siste uke.'])}`,
    funn: 'Lette ødemer rundt anklene. Fine krepitasjoner basalt bilateralt.',
    vurdering: 'Kronisk hjertesvikt, NYHA klasse II, stabil.',
    tiltak: 'Fortsetter behandlingen. Daglig veiing; kontakt ved vektøkning over 2 kg på tre dager.',
  }),
  angina: ({ random }) => ({
    anamnese: `Kontroll av angina pectoris. Bruker nitroglyserin ${random.pick(['sjelden', 'omtrent ukentlig'])} ved anstrengelse.`,
    funn: 'Regelmessig puls. Hjerte: ingen bilyder.',
    vurdering: 'Stabil angina pectoris.',
    tiltak: 'Fortsetter sekundærprofylakse med acetylsalisylsyre og statin.',
  }),
  hyperlipidaemia: ({ random }) => {
    const ldl = random.float(1.8, 3.4);
    return {
      anamnese: 'Kontroll av kolesterol. Bruker statin uten muskelsmerter.',
      funn: `LDL ${decimal(ldl, 1)} mmol/L.`,
      vurdering: ldl <= 2.6 ? 'LDL innenfor målet.' : 'LDL over målet.',
      tiltak: ldl <= 2.6 ? 'Fortsetter statin.' : 'Kostråd. Vurderer økt statindose ved neste kontroll.',
    };
  },
  'hip-arthrosis': () => ({
    anamnese: 'Smerter i hoften ved gange og stivhet om morgenen.',
    funn: 'Nedsatt innadrotasjon i hofteleddet, smerter i ytterstilling.',
    vurdering: 'Hofteleddsartrose.',
    tiltak: 'Henvist fysioterapeut for artroseskole. Paracetamol ved behov.',
  }),
  'knee-arthrosis': () => ({
    anamnese: 'Smerter i kneet ved trappegange, stivt etter hvile.',
    funn: 'Krepitasjon og lett hydrops, stabile leddbånd.',
    vurdering: 'Kneleddsartrose.',
    tiltak: 'Trening med fysioterapeut og vektreduksjon. Paracetamol ved behov.',
  }),
  migraine: ({ random }) => ({
    anamnese: `Migreneanfall ${random.int(2, 4)} ganger i måneden, varer et døgn.`,
    funn: 'Normal nevrologisk status.',
    vurdering: 'Migrene uten aura.',
    tiltak: 'Sumatriptan ved anfall. Fører anfallsdagbok.',
  }),
  eczema: () => ({
    anamnese: 'Kløende eksem i albuebøyene og knehasene, verst om vinteren.',
    funn: 'Tørr hud, lichenifisert eksem i fleksurene.',
    vurdering: 'Atopisk eksem.',
    tiltak: 'Fuktighetskrem daglig og hydrokortison krem i perioder med utbrudd.',
  }),
};

const measurements = ({ hba1c, bloodPressure, egfr, crp }: FollowUpFindings): string =>
  [
    bloodPressure && `BT ${bloodPressure.systolic}/${bloodPressure.diastolic}.`,
    hba1c && `HbA1c ${hba1c.value} mmol/mol${hba1c.previous === undefined ? '' : ` (forrige ${hba1c.previous})`}.`,
    egfr !== undefined && `eGFR ${egfr} mL/min/1,73 m².`,
    crp !== undefined && `CRP ${crp} mg/L.`,
  ]
    .filter((sentence): sentence is string => typeof sentence === 'string')
    .join(' ');

/** The note of a follow-up visit covering `problems`, each with its own medications. */
export const followUpNote = (
  problems: ReadonlyArray<{ readonly key: ChronicKey; readonly medications: ReadonlyArray<Medication> }>,
  context: Omit<ChronicNoteContext, 'medications'>,
): NoteText => {
  const sections = problems.map(({ key, medications }) => TEMPLATES[key]({ ...context, medications }));
  const measured = measurements(context.findings);
  const funn = [
    ...(measured === '' ? [] : [measured]),
    ...sections.flatMap((section) => (section.funn === undefined ? [] : [section.funn])),
  ];
  return {
    anamnese: sections.map((section) => section.anamnese),
    funn: funn.length > 0 ? funn : ['Ingen nye funn.'],
    vurdering: sections.map((section) => section.vurdering),
    tiltak: sections.map((section) => section.tiltak),
  };
};
