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
  errors: {
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
