'use client';

import { useRouter } from 'next/navigation';
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import type { Locale } from './config';
import type { Dictionary } from './dictionaries';
import { loadDictionary } from './dictionaries/load';
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

interface I18nProviderProps {
  initialLocale: Locale;
  /** The server's dictionary for initialLocale: it arrives with the page, not as JavaScript. */
  initialDictionary: Dictionary;
  children: ReactNode;
}

export function I18nProvider({ initialLocale, initialDictionary, children }: I18nProviderProps) {
  const router = useRouter();
  const wanted = useSyncExternalStore(subscribeLocale, getClientLocale, () => initialLocale);
  const [loaded, setLoaded] = useState<Partial<Record<Locale, Dictionary>>>({ [initialLocale]: initialDictionary });
  // A refresh after a language switch brings the server's new dictionary: keep it.
  if (loaded[initialLocale] !== initialDictionary) setLoaded((l) => ({ ...l, [initialLocale]: initialDictionary }));
  // Another language than the server rendered (chosen here, or stored in this browser) loads as a chunk;
  // the page stays in the server's language for the moment it takes.
  const locale = loaded[wanted] ? wanted : initialLocale;

  useEffect(() => {
    if (loaded[wanted]) return;
    let cancelled = false;
    void loadDictionary(wanted).then((dict) => {
      if (!cancelled) setLoaded((l) => ({ ...l, [wanted]: dict }));
    });
    return () => {
      cancelled = true;
    };
  }, [wanted, loaded]);

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
    const dict = loaded[locale] ?? initialDictionary;
    return { locale, setLocale, t: createTranslator(dict, locale), dict, format: createFormatters(locale) };
  }, [locale, setLocale, loaded, initialDictionary]);

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
