import type { AcuteKey } from './acute-problems';
import type { EncounterSetting, NoteText } from './note-text';
import { crpSentence, duration, side, temperature } from './note-text';
import type { Random } from './random';

/**
 * Templates for the note of a one-off contact: short Norwegian clinical prose per problem, with
 * variants so that a patient's notes do not repeat word for word, and with the numbers of the
 * visit (CRP, temperature, duration) filled in. Treatment respects a recorded penicillin allergy.
 */
export interface AcuteNoteContext {
  readonly random: Random;
  readonly age: number;
  readonly gender: 'male' | 'female';
  readonly setting: EncounterSetting;
  readonly symptomDays: number;
  readonly crp: number | undefined;
  readonly penicillinAllergy: boolean;
}

type Sections = { anamnese: string; funn: string; vurdering: string; tiltak: string };
type Template = (context: AcuteNoteContext) => Sections;

const TEMPLATES: Record<AcuteKey, Template> = {
  'upper-respiratory-infection': ({ random, symptomDays, crp }) => ({
    anamnese: random.pick([
      `Sår hals, tett nese og hoste i ${duration(symptomDays)}. ${random.pick(['Feber til 38,5 første døgnet.', 'Ikke målt feber.'])} Spiser og drikker.`,
      `Forkjølet i ${duration(symptomDays)} med rennende nese og lett sår hals. ${random.pick(['Hoster mest om natten.', 'Ingen tungpust.'])}`,
    ]),
    funn: `God allmenntilstand. Temp ${temperature(random, false)}. Lett rødt svelg uten belegg. Normale trommehinner. Lunger: vesikulær respirasjonslyd, ingen bilyder.${crpSentence(crp)}`,
    vurdering: 'Viral øvre luftveisinfeksjon. Ingen holdepunkter for bakteriell infeksjon.',
    tiltak: random.pick([
      'Symptomatisk behandling med paracetamol ved behov og rikelig drikke. Ny kontakt ved forverring eller feber over tre døgn.',
      'Informert om forventet forløp på 1–2 uker. Antibiotika ikke indisert. Tar kontakt ved tungpust eller forverring.',
    ]),
  }),
  bronchitis: ({ random, symptomDays, crp }) => ({
    anamnese: `Hoste i ${duration(symptomDays)}, nå med gulgrønt ekspektorat. Lett tungpust ved anstrengelse. ${random.pick(['Feber til 38,2.', 'Ikke feber.'])}`,
    funn: `Temp ${temperature(random, false)}. Respirasjonsfrekvens 16. SpO2 ${random.int(96, 99)} %. Spredte knatrelyder som forsvinner ved hoste, ingen dempning.${crpSentence(crp)}`,
    vurdering: 'Akutt bronkitt, sannsynlig viral. Ikke holdepunkter for pneumoni.',
    tiltak: 'Ingen antibiotika. Hostedempende ved behov om natten. Kontroll ved feber over tre døgn eller økende tungpust.',
  }),
  pneumonia: ({ random, symptomDays, crp, age, penicillinAllergy }) => ({
    anamnese: `Feber og frostanfall i ${duration(symptomDays)}, hoste med ekspektorat og smerter i ${side(random)} side ved dyp innånding. Redusert allmenntilstand.`,
    funn: `Temp ${temperature(random, true)}. Respirasjonsfrekvens ${random.int(20, 26)}. SpO2 ${random.int(92, 96)} %. Nedsatt respirasjonslyd og krepitasjoner basalt på samme side.${crpSentence(crp)}`,
    vurdering: `Klinisk og biokjemisk bilde forenlig med pneumoni. CRB-65 ${age >= 65 ? 1 : 0}. Kan behandles hjemme.`,
    tiltak: `${
      penicillinAllergy
        ? 'Doksysyklin 100 mg, 2 tabletter første dag, deretter 1 tablett daglig i 7 dager (penicillinallergi).'
        : 'Fenoksymetylpenicillin 1 g x 4 i 7 dager.'
    } Ny kontroll med CRP om 2–3 dager, tidligere ved forverring.`,
  }),
  influenza: ({ random, symptomDays, crp, age }) => ({
    anamnese: `Akutt innsettende høy feber, muskelsmerter, hodepine og tørrhoste siste ${duration(symptomDays)}. ${random.pick(['Flere syke på jobben.', 'Flere syke i familien.'])}`,
    funn: `Temp ${temperature(random, true)}. Medtatt, men ikke alvorlig syk. Lunger: normale funn.${crpSentence(crp)}`,
    vurdering: 'Klinisk influensa uten tegn til komplikasjoner.',
    tiltak: `Hvile, rikelig drikke og febernedsettende ved behov.${age >= 18 && age < 67 ? ' Sykmeldt 5 dager.' : ''} Tar kontakt ved tungpust eller ny feberstigning.`,
  }),
  sinusitis: ({ random, symptomDays, crp }) => ({
    anamnese: `Tett nese og trykk over kinnbeina i ${duration(symptomDays)}, verst ved foroverbøying. Gulgrønt sekret fra nesen.`,
    funn: `Perkusjonsøm over ${side(random)} kjevehule. Puss i nesegangen.${crpSentence(crp)}`,
    vurdering: 'Akutt bihulebetennelse, sannsynlig viral.',
    tiltak: 'Slimhinneavsvellende nesespray i inntil 10 dager og nesespyling med saltvann. Ny vurdering ved forverring etter 10 dager.',
  }),
  'strep-throat': ({ random, symptomDays, crp, penicillinAllergy }) => ({
    anamnese: `Vondt i halsen i ${duration(symptomDays)}, smerter ved svelging og feber. Ikke hoste.`,
    funn: `Temp ${temperature(random, true)}. Store, røde tonsiller med belegg. Ømme lymfeknuter på halsen. Strep A hurtigtest positiv.${crpSentence(crp)}`,
    vurdering: 'Streptokokktonsillitt, Centor 4.',
    tiltak: penicillinAllergy
      ? 'Klaritromycin i 10 dager (penicillinallergi). Ny kontakt ved svelgvansker eller ensidig hevelse.'
      : 'Fenoksymetylpenicillin x 4 i 10 dager. Ny kontakt ved svelgvansker eller ensidig hevelse.',
  }),
  otitis: ({ random, symptomDays, crp }) => {
    const ear = side(random);
    return {
      anamnese: `Øresmerter på ${ear} side siden i natt, feber og uro. Forkjølet i ${duration(symptomDays)}.`,
      funn: `Temp ${temperature(random, true)}. ${ear === 'høyre' ? 'Høyre' : 'Venstre'} trommehinne rød og bukende, den andre normal.${crpSentence(crp)}`,
      vurdering: `Akutt mellomørebetennelse ${ear} side.`,
      tiltak: 'Smertestillende og nesedråper. Avventer antibiotika 1–2 døgn; ny kontakt ved manglende bedring eller øreflod.',
    };
  },
  'urinary-tract-infection': ({ symptomDays, crp, gender, penicillinAllergy }) => ({
    anamnese: `Svie ved vannlating og hyppig vannlatingstrang i ${duration(symptomDays)}. Ikke feber eller flankesmerter.`,
    funn: `Urinstix: leukocytter 3+, nitritt positiv, blod 1+. Ikke bankeøm over nyrelosjene.${crpSentence(crp)}`,
    vurdering: gender === 'female' ? 'Ukomplisert nedre urinveisinfeksjon.' : 'Nedre urinveisinfeksjon hos mann.',
    tiltak:
      gender === 'male'
        ? 'Trimetoprim 160 mg x 2 i 7 dager. Urin sendt til dyrkning. Ny kontakt ved feber.'
        : penicillinAllergy
          ? 'Nitrofurantoin 50 mg x 3 i 5 dager (penicillinallergi). Ny kontakt ved feber eller manglende bedring.'
          : 'Pivmecillinam 200 mg x 3 i 3 dager. Ny kontakt ved feber eller manglende bedring.',
  }),
  gastroenteritis: ({ random, symptomDays, crp }) => ({
    anamnese: `Oppkast og vandig diaré i ${duration(symptomDays)}. Holder på drikke. Ikke blod i avføringen. ${random.pick(['Flere syke i familien.', 'Omgangssyke i barnehagen.', 'Kom hjem fra utenlandsreise for en uke siden.'])}`,
    funn: `Lett redusert allmenntilstand. God hudturgor og fuktige slimhinner. Abdomen bløt, diffust lett øm, ingen slippømhet.${crpSentence(crp)}`,
    vurdering: 'Akutt gastroenteritt, sannsynlig viral. Ikke tegn til dehydrering.',
    tiltak: 'Rikelig drikke i små porsjoner. Ny kontakt ved tegn til uttørking, blod i avføringen eller varighet over en uke.',
  }),
  conjunctivitis: ({ random, symptomDays }) => ({
    anamnese: `Rødt og klebrig ${side(random)} øye i ${duration(symptomDays)}, gult sekret om morgenen. Ser normalt.`,
    funn: 'Injisert konjunktiva med pussig sekret. Klar cornea, normale pupillereaksjoner.',
    vurdering: 'Infeksiøs konjunktivitt.',
    tiltak: 'Rengjøring med saltvann. Kloramfenikol øyedråper ved manglende bedring etter tre døgn.',
  }),
  'low-back-pain': ({ random, symptomDays }) => ({
    anamnese: `Akutte smerter i korsryggen i ${duration(symptomDays)} etter ${random.pick(['et tungt løft', 'hagearbeid', 'å ha båret møbler'])}. Ingen utstråling til bena. Normal vannlating og avføring.`,
    funn: 'Stiv og smertepreget. Palpasjonsøm paravertebral muskulatur lumbalt. Lasègue negativ bilateralt. Normal kraft, sensibilitet og reflekser i bena.',
    vurdering: 'Uspesifikke korsryggsmerter uten røde flagg.',
    tiltak: `Informert om god prognose og rådet til å holde seg i aktivitet. Paracetamol og ibuprofen ved behov. ${random.pick(['Sykmeldt 3 dager.', 'Henvist til fysioterapeut.', 'Ny kontakt ved manglende bedring etter to uker.'])}`,
  }),
  'neck-pain': ({ random, symptomDays }) => ({
    anamnese: `Stiv og vond nakke i ${duration(symptomDays)}, startet etter lange dager foran PC-en. Ingen utstråling til armene.`,
    funn: `Nedsatt rotasjon mot ${side(random)}. Ømme muskelfester i trapezius. Normal nevrologi i armene.`,
    vurdering: 'Muskulære nakkesmerter.',
    tiltak: 'Varme, tøyningsøvelser og smertestillende ved behov. Ergonomiske råd gitt.',
  }),
  headache: ({ random, symptomDays }) => ({
    anamnese: `Trykkende hodepine i pannen og bakhodet i ${duration(symptomDays)}. Ingen kvalme, lysskyhet eller nevrologiske utfall. Mye stress i hverdagen.`,
    funn: `BT ${random.int(115, 138)}/${random.int(70, 86)}. Normal nevrologisk undersøkelse. Ømme muskler i nakken.`,
    vurdering: 'Spenningshodepine.',
    tiltak: 'Avspenning og regelmessig søvn. Paracetamol ved behov, men ikke mer enn 10 dager i måneden.',
  }),
  fatigue: ({ symptomDays, crp }) => ({
    anamnese: `Slapp og trett i ${duration(symptomDays)}. Sover dårlig. Ingen feber, vekttap eller nattesvette.`,
    funn: `Upåfallende klinisk undersøkelse. Hb, ferritin, TSH og glukose normale.${crpSentence(crp)}`,
    vurdering: 'Tretthet uten holdepunkter for somatisk sykdom. Sannsynlig sammenheng med belastning og søvn.',
    tiltak: 'Samtale om søvn, aktivitet og belastning. Ny time om 4 uker.',
  }),
  'sleep-problems': ({ random, symptomDays }) => ({
    anamnese: `Sovner dårlig og våkner tidlig, i ${duration(symptomDays)}. ${random.pick(['Bekymret for jobben.', 'Mye å tenke på etter et samlivsbrudd.', 'Nattarbeid i perioder.'])}`,
    funn: `Våken og orientert, god kontakt. Ikke holdepunkter for depresjon (MADRS ${random.int(4, 10)}).`,
    vurdering: 'Søvnvansker.',
    tiltak: 'Søvnhygieniske råd og søvndagbok. Ønsker ikke sovemedisin. Ny kontakt om 4 uker.',
  }),
  laceration: ({ random }) => {
    const stitches = random.int(3, 6);
    return {
      anamnese: `Skar seg på ${random.pick(['en kjøkkenkniv', 'et knust glass', 'en kniv i skogen'])} i ${side(random)} ${random.pick(['pekefinger', 'hånd', 'legg'])} for ${random.int(1, 3)} timer siden. Stivkrampevaksine for ${random.int(2, 15)} år siden.`,
      funn: `${random.int(2, 4)} cm lang, rettkantet kuttskade. Normal sirkulasjon, sensibilitet og senefunksjon distalt.`,
      vurdering: 'Ukomplisert kuttskade.',
      tiltak: `Revidert og suturert med ${stitches} sting. Stingene fjernes hos fastlegen om 10–14 dager.`,
    };
  },
  'ankle-sprain': ({ random }) => ({
    anamnese: `Tråkket over på ${side(random)} ankel ${random.pick(['på fotballtrening', 'på glatt føre', 'i trappen'])} i dag. Klarer å gå noen skritt.`,
    funn: 'Hevelse og ømhet foran laterale malleol. Ikke ømhet over bakkanten av malleolene eller basis av 5. metatars (Ottawa-reglene negative).',
    vurdering: 'Distorsjon av ankelen, ikke indikasjon for røntgen.',
    tiltak: 'Ro, is, kompresjon og høyt leie. Gradvis belastning etter smerte. Ny vurdering ved manglende bedring etter en uke.',
  }),
  certificate: ({ random, age }) =>
    age >= 70
      ? {
          anamnese: 'Kommer for helseattest til førerkort.',
          funn: `Visus og synsfelt normale. Hørsel normal. BT ${random.int(128, 150)}/${random.int(74, 88)}. Klokketest uten anmerkning.`,
          vurdering: 'Oppfyller helsekravene for førerkort gruppe 1.',
          tiltak: 'Helseattest utstedt, gyldig i 3 år.',
        }
      : {
          anamnese: `Trenger legeerklæring til ${random.pick(['arbeidsgiver', 'forsikringsselskapet', 'studiestedet'])}.`,
          funn: 'Ingen undersøkelse nødvendig.',
          vurdering: 'Administrativ kontakt.',
          tiltak: 'Erklæring skrevet og sendt.',
        },
  pregnancy: ({ random }) => {
    const weeks = random.int(6, 9);
    return {
      anamnese: `Positiv graviditetstest. Siste menstruasjon for ${weeks} uker siden. ${random.pick(['Lett kvalm om morgenen, ellers i form.', 'Ingen plager.'])}`,
      funn: `BT ${random.int(104, 124)}/${random.int(62, 78)}. Urinstix normal.`,
      vurdering: `Graviditet, ca. uke ${weeks}.`,
      tiltak: 'Folsyre anbefalt. Første svangerskapskontroll om 4 uker. Informert om ordinær ultralyd i uke 18.',
    };
  },
  'fungal-skin-infection': ({ random, symptomDays }) => ({
    anamnese: `Kløende, rødt utslett ${random.pick(['i lysken', 'mellom tærne'])} i ${duration(symptomDays)}.`,
    funn: 'Skarpt avgrenset, rødt utslett med skjellende kant.',
    vurdering: 'Hudsopp.',
    tiltak: 'Terbinafin krem 1–2 ganger daglig i 2 uker.',
  }),
  vertigo: ({ random, symptomDays }) => ({
    anamnese: `Snurrende svimmelhet i ${duration(symptomDays)}, utløses av hodebevegelser og når pasienten legger seg ned. Ikke hørselstap.`,
    funn: `Dix-Hallpike positiv mot ${side(random)} med nystagmus. Ellers normal nevrologisk status.`,
    vurdering: 'Benign paroksysmal posisjonsvertigo.',
    tiltak: 'Epleys manøver utført med god effekt. Informert om øvelser hjemme.',
  }),
};

/** The note of a one-off contact, adjusted for where it happened and for children. */
export const acuteNote = (key: AcuteKey, context: AcuteNoteContext): NoteText => {
  const { random, setting, age } = context;
  const text = TEMPLATES[key](context);
  const companion = age < 12 ? `Kommer sammen med ${random.pick(['mor', 'far'])}. ` : '';
  switch (setting) {
    case 'gp':
      return { anamnese: [companion + text.anamnese], funn: [text.funn], vurdering: [text.vurdering], tiltak: [text.tiltak] };
    case 'emergency':
      return {
        anamnese: [`Legevakt. ${companion}${text.anamnese}`],
        funn: [text.funn],
        vurdering: [text.vurdering],
        // DOMAIN.md: results and notes from the emergency centre go to the patient's GP.
        tiltak: [text.tiltak, 'Notat sendes fastlege.'],
      };
    case 'e-consultation':
      return {
        anamnese: [`E-konsultasjon. ${text.anamnese}`],
        funn: ['Ikke klinisk undersøkt (e-konsultasjon).'],
        vurdering: [text.vurdering],
        tiltak: [text.tiltak, 'Time for undersøkelse ved manglende bedring.'],
      };
  }
};
