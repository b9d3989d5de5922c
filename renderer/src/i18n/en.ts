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
  errors: {
    UNKNOWN_CALL: 'The workstation does not know this action. Update the program or contact support.',
    INVALID_INPUT: 'The action got invalid details and was not carried out. No data was changed.',
    FORBIDDEN: 'The action was refused for security reasons. Restart the workstation.',
    TRANSPORT: 'Lost the connection to core. The workstation keeps trying by itself.',
    INTERNAL: 'Something went wrong inside the workstation. No data was changed. Contact support if it happens again.',
  },
};
