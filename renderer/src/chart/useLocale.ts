import { useTranslation } from 'react-i18next';
import { isLanguage, localeOf } from '../i18n/i18n';

/** The BCP 47 locale of the UI language, for Intl formatting. */
export const useLocale = (): string => {
  const { i18n } = useTranslation();
  return localeOf[isLanguage(i18n.language) ? i18n.language : 'nb'];
};
