import '@mantine/core/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { LANGUAGE_STORAGE_KEY } from './app/LanguageSwitch';
import { ContractClient } from './contract/contract-client';
import { pickTransport } from './contract/pick-transport';
import { reportUncaughtErrors } from './failure/report-errors';
import { createI18n, isLanguage } from './i18n/i18n';
import { Root } from './Root';

const stored = window.localStorage.getItem(LANGUAGE_STORAGE_KEY);
const language = isLanguage(stored) ? stored : 'nb';
document.documentElement.lang = language;

const container = document.getElementById('root');
if (container === null) {
  throw new Error('index.html has no #root element');
}
const client = new ContractClient(pickTransport(window));
reportUncaughtErrors(client);
createRoot(container).render(
  <StrictMode>
    <Root client={client} i18n={createI18n(language)} />
  </StrictMode>,
);
