import type { Messages } from './nb';

/** English: the second language. The type makes a missing or extra key a compile error. */
export const en: Messages = {
  app: {
    title: 'Akson',
    subtitle: 'Clinical workstation',
  },
  language: {
    label: 'Language',
    nb: 'Norsk',
    en: 'English',
  },
  about: {
    heading: 'About this workstation',
    loading: 'Asking core …',
    name: 'Program',
    version: 'Version',
    mode: 'Running as',
    buildTime: 'Built',
    transport: 'Connection',
  },
  mode: {
    electron: 'Desktop app (Electron)',
    'dev-host': 'Dev host in a browser',
  },
  transport: {
    ipc: 'IPC in Electron',
    websocket: 'WebSocket on 127.0.0.1',
  },
  clock: {
    heading: 'Live from core',
    waiting: 'Waiting for the first event …',
    time: "Core's clock",
    sequence: 'Event no.',
  },
  session: {
    heading: 'Card login',
    testCard: 'TEST',
    testCardHint: 'Demo test card: not a real health-personnel card',
    insertCard: 'Insert your card into the card reader.',
    noJournal: 'No journal is set up for this workstation. Contact IT.',
    enterPin: 'Enter the PIN for {{label}}.',
    locked: 'The screen is locked. Enter your PIN to continue.',
    pin: 'PIN',
    login: 'Log in',
    lock: 'Lock screen',
    loggedInAs: 'Logged in as {{name}} (HPR {{hpr}})',
    card: 'Card: {{label}}',
    failure: {
      PIN_INCORRECT: 'Wrong PIN. Try again.',
      PIN_INCORRECT_FEW_TRIES_LEFT: 'Wrong PIN. Only a few tries are left before the card locks.',
      PIN_INCORRECT_FINAL_TRY_NEXT: 'Wrong PIN. The next try is the last: another wrong PIN locks the card.',
      PIN_LOCKED: 'The card is locked after too many wrong PINs. Unlock it with the PUK, or contact the card issuer.',
      PIN_INVALID_FORMAT: 'The PIN must be 4 to 12 digits.',
      NO_CARD: 'The card was not found. Insert it into the card reader and try again.',
      CARD_FAILURE: 'The card or card reader did not answer as expected. Take the card out, put it back and try again.',
      LOGIN_REFUSED: 'The journal refused the login with this card.',
      JOURNAL_UNREACHABLE: 'Cannot reach the journal. Check the network and try again.',
    },
  },
  errors: {
    LOCKED: 'Log in with your card first.',
    REFUSED: 'This can not be done now. No data was changed.',
    UNKNOWN_CALL: 'The workstation does not know this action. Update the program or contact support.',
    INVALID_INPUT: 'The action got invalid details and was not carried out. No data was changed.',
    FORBIDDEN: 'The action was refused for security reasons. Restart the workstation.',
    TRANSPORT: 'Lost the connection to core. The workstation keeps trying by itself.',
    INTERNAL: 'Something went wrong inside the workstation. No data was changed. Contact support if it happens again.',
  },
};
