'use client';

import { useRouter } from 'next/navigation';
import { NextIntlClientProvider, useLocale, useMessages, useTranslations } from 'next-intl';
import { useCallback, useEffect, useMemo, type ReactNode } from 'react';
import type { Locale } from './config';
import type { Dictionary } from './dictionaries';
import { onIntlError } from './errors';
import { formattersFor, type Formatters } from './format';
import { chooseLocale, readStoredLocale, writeLocaleCookie } from './locale-store';
import type { Translate } from './translate';

interface I18nProviderProps {
  locale: Locale;
  /** The server's messages for `locale`: they arrive with the page, not as JavaScript. */
  messages: Dictionary;
  children: ReactNode;
}

/** next-intl's provider with our error handler, and the stored language choice applied. */
export function I18nProvider({ locale, messages, children }: I18nProviderProps) {
  return (
    <NextIntlClientProvider locale={locale} messages={messages} onError={onIntlError}>
      <StoredLocale locale={locale} />
      {children}
    </NextIntlClientProvider>
  );
}

/**
 * A choice stored in this browser wins over what the server guessed (a purged
 * cookie, Accept-Language): the cookie is written again and the page rendered
 * anew in that language. Another language means new messages from the server,
 * so a switch is a refresh rather than a chunk of JavaScript.
 */
function StoredLocale({ locale }: { locale: Locale }) {
  const router = useRouter();
  useEffect(() => {
    const stored = readStoredLocale();
    if (stored && stored !== locale) {
      writeLocaleCookie(stored);
      router.refresh();
    } else {
      writeLocaleCookie(locale);
    }
  }, [locale, router]);
  return null;
}

interface I18nValue {
  locale: Locale;
  setLocale: (locale: Locale) => void;
  t: Translate;
  /** For enum-keyed sections: `dict.roles[user.role]`, `dict.auditActions[event.action]`. */
  dict: Dictionary;
  format: Formatters;
}

export function useI18n(): I18nValue {
  const locale = useLocale();
  const dict = useMessages();
  const t = useT();
  const router = useRouter();
  const setLocale = useCallback(
    (next: Locale) => {
      chooseLocale(next);
      // The layout renders again with the cookie just written: new messages, <html lang>, titles.
      router.refresh();
    },
    [router],
  );
  return useMemo(() => ({ locale, setLocale, t, dict, format: formattersFor(locale) }), [locale, setLocale, t, dict]);
}

/** The translate function alone (next-intl's, over the whole tree of messages), for components that only need strings. */
export function useT(): Translate {
  return useTranslations();
}
