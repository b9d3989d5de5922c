import i18next, { type i18n as I18n } from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { nb } from './nb';

export const languages = ['nb', 'en'] as const;
export type Language = (typeof languages)[number];

/** BCP 47 tags for Intl formatting. */
export const localeOf: Record<Language, string> = { nb: 'nb-NO', en: 'en-GB' };

export const isLanguage = (value: unknown): value is Language =>
  typeof value === 'string' && (languages as readonly string[]).includes(value);

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'translation';
    resources: { translation: typeof nb };
  }
}

/** A fresh instance per call, so tests do not share language state. Bokmål unless told otherwise. */
export const createI18n = (language: Language = 'nb'): I18n => {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: { nb: { translation: nb }, en: { translation: en } },
    lng: language,
    fallbackLng: 'nb',
    supportedLngs: [...languages],
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
    showSupportNotice: false,
  });
  return instance;
};
