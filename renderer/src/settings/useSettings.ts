import { useCallback, useEffect, useState } from 'react';
import { ContractError, type SettingsSetInput, type SettingsView } from '../../../shared/contract';
import { useContract } from '../contract/hooks';

/** The settings in force, kept current by `settings.changed`; `save` sends the clinician's changes. */
export const useSettings = (): {
  view: SettingsView | undefined;
  error: ContractError | undefined;
  save: (changes: SettingsSetInput) => Promise<SettingsView>;
} => {
  const client = useContract();
  const [view, setView] = useState<SettingsView | undefined>(undefined);
  const [error, setError] = useState<ContractError | undefined>(undefined);
  useEffect(() => {
    let current = true;
    client.call('settings.get', {}).then(
      (value) => current && setView(value),
      (failure: unknown) => current && setError(failure instanceof ContractError ? failure : new ContractError('INTERNAL', 'unexpected')),
    );
    const off = client.on('settings.changed', setView);
    return () => {
      current = false;
      off();
    };
  }, [client]);
  const save = useCallback(
    async (changes: SettingsSetInput) => {
      const next = await client.call('settings.set', changes);
      setView(next);
      return next;
    },
    [client],
  );
  return { view, error, save };
};
