import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { SettingsView } from '../../../shared/contract';
import { LANGUAGE_STORAGE_KEY } from '../app/LanguageSwitch';
import { useContract } from '../contract/hooks';

/**
 * The language setting applied to the UI: at start when IT locked it or nothing was chosen on
 * this machine yet (the last choice here wins otherwise), and whenever the setting changes.
 */
export const useSettingsLanguage = (): void => {
  const client = useContract();
  const { i18n } = useTranslation();
  useEffect(() => {
    let current = true;
    const apply = (view: SettingsView, atStart: boolean): void => {
      if (!current) {
        return;
      }
      if (atStart && !view.locked.includes('language') && window.localStorage.getItem(LANGUAGE_STORAGE_KEY) !== null) {
        return;
      }
      const language = view.values.language;
      if (language !== i18n.language) {
        void i18n.changeLanguage(language);
        document.documentElement.lang = language;
      }
      window.localStorage.setItem(LANGUAGE_STORAGE_KEY, language);
    };
    client.call('settings.get', {}).then(
      (view) => apply(view, true),
      () => undefined,
    );
    const off = client.on('settings.changed', (view) => apply(view, false));
    return () => {
      current = false;
      off();
    };
  }, [client, i18n]);
};
