'use client';

import { useRouter } from 'next/navigation';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import type { Locale } from './config';
import { dictionaries, type Dictionary } from './dictionaries';
import { createFormatters, type Formatters } from './format';
import { chooseLocale, getClientLocale, subscribeLocale, writeLocaleCookie } from './locale-store';
import { createTranslator, type Translate } from './translate';

interface I18nContextValue {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
  /** For enum-keyed sections: `dict.roles[user.role]`, `dict.auditActions[event.action]`. */
  dict: Dictionary;
  format: Formatters;
}

const I18nContext = createContext<I18nContextValue | null>(null);

export function I18nProvider({ initialLocale, children }: { initialLocale: Locale; children: ReactNode }) {
  const router = useRouter();
  const locale = useSyncExternalStore(subscribeLocale, getClientLocale, () => initialLocale);

  useEffect(() => {
    document.documentElement.lang = locale;
    writeLocaleCookie(locale);
  }, [locale]);

  const setLocale = useCallback(
    (next: Locale) => {
      chooseLocale(next);
      // Server-rendered parts (page titles) follow the cookie just written.
      router.refresh();
    },
    [router],
  );

  const value = useMemo<I18nContextValue>(() => {
    const dict = dictionaries[locale];
    return { locale, setLocale, t: createTranslator(dict, locale), dict, format: createFormatters(locale) };
  }, [locale, setLocale]);

  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18nContextValue {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n must be used inside <I18nProvider>');
  return value;
}

/** The translate function alone, for components that only need strings. */
export function useT(): Translate {
  return useI18n().t;
}
