import { MantineProvider } from '@mantine/core';
import type { i18n as I18n } from 'i18next';
import { I18nextProvider } from 'react-i18next';
import { App } from './app/App';
import { cssVariablesResolver, theme } from './app/theme';
import type { ContractClient } from './contract/contract-client';
import { ContractProvider } from './contract/ContractProvider';
import { AppErrorBoundary } from './failure/AppErrorBoundary';

/** Everything the app needs around it; tests render this with their own client and i18n. */
export function Root({ client, i18n }: { client: ContractClient; i18n: I18n }) {
  return (
    <MantineProvider theme={theme} defaultColorScheme="light" cssVariablesResolver={cssVariablesResolver}>
      <I18nextProvider i18n={i18n}>
        <ContractProvider client={client}>
          <AppErrorBoundary client={client}>
            <App />
          </AppErrorBoundary>
        </ContractProvider>
      </I18nextProvider>
    </MantineProvider>
  );
}
