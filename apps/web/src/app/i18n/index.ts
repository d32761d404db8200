import { LOCALES, type Locale } from '@medledger/contract';
import i18next, { type i18n as I18n } from 'i18next';
import { en } from './en';
import { zhCN } from './zh-CN';

/** The only thing the web UI keeps in localStorage. */
export const LANGUAGE_STORAGE_KEY = 'medledger.lang';
export const DEFAULT_LOCALE: Locale = 'zh-CN';

export const resources = {
  'zh-CN': { translation: zhCN },
  en: { translation: en },
} satisfies Record<Locale, unknown>;

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

export function readStoredLocale(): Locale {
  try {
    const stored = window.localStorage.getItem(LANGUAGE_STORAGE_KEY);
    return isLocale(stored) ? stored : DEFAULT_LOCALE;
  } catch {
    // Storage can be disabled by browser policy; the default language still works.
    return DEFAULT_LOCALE;
  }
}

/** A fresh i18next instance in the stored (or default) language; keeps `<html lang>` in step. */
export function createAppI18n(locale: Locale = readStoredLocale()): I18n {
  const instance = i18next.createInstance();
  instance.on('languageChanged', (lng: string) => {
    document.documentElement.lang = lng;
  });
  void instance.init({
    resources,
    lng: locale,
    fallbackLng: DEFAULT_LOCALE,
    supportedLngs: [...LOCALES],
    // Resources are bundled, so initialisation finishes synchronously and the first render is translated.
    initAsync: false,
    interpolation: { escapeValue: false },
  });
  document.documentElement.lang = locale;
  return instance;
}

export function currentLocale(i18n: I18n): Locale {
  return isLocale(i18n.language) ? i18n.language : DEFAULT_LOCALE;
}

/** Switches the UI language and remembers the choice for the next visit. */
export async function changeLocale(i18n: I18n, locale: Locale): Promise<void> {
  await i18n.changeLanguage(locale);
  try {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, locale);
  } catch {
    // Storage disabled: the choice lasts for this page only.
  }
}
