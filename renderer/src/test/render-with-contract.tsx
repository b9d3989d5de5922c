import { MantineProvider } from '@mantine/core';
import { render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { cssVariablesResolver, theme } from '../app/theme';
import { ContractClient } from '../contract/contract-client';
import { ContractProvider } from '../contract/ContractProvider';
import { createI18n, type Language } from '../i18n/i18n';
import { fakeTransport } from './fake-bridge';

/** Calls the fake transport received, in order, as [name, input]. */
export const callsOf = (transport: ReturnType<typeof fakeTransport>['transport'], name?: string): unknown[][] =>
  (transport.invoke as unknown as { mock: { calls: unknown[][] } }).mock.calls.filter(([call]) => name === undefined || call === name);

/**
 * A feature component with the app's providers around it and a fake transport under the contract
 * client. `answers` is read at call time, so a test can change what core says next.
 */
export const renderWithContract = (ui: ReactNode, answers: Record<string, unknown>, language: Language = 'nb') => {
  const { transport, push } = fakeTransport(answers);
  const result = render(
    <MantineProvider theme={theme} defaultColorScheme="light" cssVariablesResolver={cssVariablesResolver}>
      <I18nextProvider i18n={createI18n(language)}>
        <ContractProvider client={new ContractClient(transport)}>{ui}</ContractProvider>
      </I18nextProvider>
    </MantineProvider>,
  );
  return { ...result, transport, push };
};

export const ok = (value: unknown) => ({ ok: true, value });
