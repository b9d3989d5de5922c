import { SegmentedControl } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useContract } from '../contract/hooks';
import { isLanguage, languages, type Language } from '../i18n/i18n';

export const LANGUAGE_STORAGE_KEY = 'akson.language';

/** Bokmål first, English second; the choice is kept on this machine and in the settings. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const client = useContract();
  const current: Language = isLanguage(i18n.language) ? i18n.language : 'nb';
  const choose = (value: string): void => {
    if (!isLanguage(value)) {
      return;
    }
    void i18n.changeLanguage(value);
    document.documentElement.lang = value;
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, value);
    // Kept in the settings too (unless IT locked the language: then only for this session).
    client.call('settings.set', { language: value }).catch(() => undefined);
  };
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('language.label')}
      value={current}
      onChange={choose}
      data={languages.map((language) => ({ value: language, label: t(`language.${language}`) }))}
    />
  );
}
