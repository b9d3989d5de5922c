/** Norsk bokmål: the first language. Every user-visible string lives here and in en.ts. */
export const nb = {
  app: {
    title: 'Akson',
    subtitle: 'Klinisk arbeidsstasjon',
  },
  language: {
    label: 'Språk',
    nb: 'Norsk',
    en: 'English',
  },
  about: {
    heading: 'Om arbeidsstasjonen',
    loading: 'Henter opplysninger fra kjernen …',
    name: 'Program',
    version: 'Versjon',
    mode: 'Kjøremåte',
    buildTime: 'Bygget',
    transport: 'Forbindelse',
  },
  mode: {
    electron: 'Skrivebordsprogram (Electron)',
    'dev-host': 'Utviklingsvert i nettleser',
  },
  transport: {
    ipc: 'IPC i Electron',
    websocket: 'WebSocket på 127.0.0.1',
  },
  clock: {
    heading: 'Direkte fra kjernen',
    waiting: 'Venter på første hendelse …',
    time: 'Kjernens klokke',
    sequence: 'Hendelse nr.',
  },
  session: {
    heading: 'Innlogging med kort',
    testCard: 'TEST',
    testCardHint: 'Testkort for demo: ikke et ekte helsepersonellkort',
    insertCard: 'Sett inn kortet ditt i kortleseren.',
    noJournal: 'Ingen journal er satt opp for denne arbeidsstasjonen. Kontakt IT.',
    enterPin: 'Skriv PIN-koden for {{label}}.',
    locked: 'Skjermen er låst. Skriv PIN-koden for å fortsette.',
    pin: 'PIN-kode',
    login: 'Logg inn',
    lock: 'Lås skjermen',
    loggedInAs: 'Innlogget som {{name}} (HPR {{hpr}})',
    card: 'Kort: {{label}}',
    offline: 'Logget inn med kortet uten kontakt med journalen. Du arbeider i din egen kopi på denne PC-en; endringer sendes når journalen svarer igjen.',
    failure: {
      PIN_INCORRECT: 'Feil PIN-kode. Prøv igjen.',
      PIN_INCORRECT_FEW_TRIES_LEFT: 'Feil PIN-kode. Du har få forsøk igjen før kortet sperres.',
      PIN_INCORRECT_FINAL_TRY_NEXT: 'Feil PIN-kode. Neste forsøk er det siste: skriver du feil igjen, sperres kortet.',
      PIN_LOCKED: 'Kortet er sperret etter for mange feil PIN-koder. Lås det opp med PUK-koden, eller kontakt kortutstederen.',
      PIN_INVALID_FORMAT: 'PIN-koden må være 4 til 12 sifre.',
      NO_CARD: 'Fant ikke kortet. Sett det inn i kortleseren og prøv igjen.',
      CARD_FAILURE: 'Kortet eller kortleseren svarte ikke som forventet. Ta ut kortet, sett det inn igjen og prøv på nytt.',
      LOGIN_REFUSED: 'Journalen avviste innloggingen med dette kortet.',
      JOURNAL_UNREACHABLE: 'Får ikke kontakt med journalen. Sjekk nettverket og prøv igjen.',
      ALREADY_ACTIVE: 'Noen er allerede logget inn på denne arbeidsstasjonen. Lås skjermen først.',
    },
  },
  sync: {
    online: 'Tilkoblet',
    offline: 'Frakoblet: endringer lagres på denne PC-en',
    pending_one: '{{count}} endring venter',
    pending_other: '{{count}} endringer venter',
    attention_one: '{{count}} må sees på',
    attention_other: '{{count}} må sees på',
    lastSync: 'Sist synkronisert {{time}}',
    oldestPending: 'Eldste ventende endring fra {{time}}',
    lastError: 'Siste feil: {{error}}',
  },
  errors: {
    LOCKED: 'Logg inn med kortet ditt først.',
    REFUSED: 'Dette kan ikke gjøres nå. Ingen data ble endret.',
    UNKNOWN_CALL: 'Arbeidsstasjonen kjenner ikke denne handlingen. Oppdater programmet, eller kontakt brukerstøtte.',
    INVALID_INPUT: 'Handlingen fikk ugyldige opplysninger og ble ikke utført. Ingen data ble endret.',
    FORBIDDEN: 'Handlingen ble avvist av sikkerhetshensyn. Start arbeidsstasjonen på nytt.',
    TRANSPORT: 'Mistet forbindelsen til kjernen. Arbeidsstasjonen prøver igjen av seg selv.',
    INTERNAL: 'Det oppstod en feil i arbeidsstasjonen. Ingen data ble endret. Kontakt brukerstøtte hvis det gjentar seg.',
  },
};

/** The shape every other language must fill: the same keys, any text. */
type Texts<T> = { [K in keyof T]: T[K] extends string ? string : Texts<T[K]> };
export type Messages = Texts<typeof nb>;
