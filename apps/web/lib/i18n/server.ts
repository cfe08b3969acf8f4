import type { Metadata } from 'next';
import { cookies, headers } from 'next/headers';
import { defaultLocale, isLocale, LOCALE_COOKIE, matchLocale, parseAcceptLanguage, type Locale } from './config';
import { dictionaries } from './dictionaries';
import { createTranslator, type MessageKey } from './translate';

/** The cookie holds the user's choice; without one, the browser's languages decide. */
export async function getServerLocale(): Promise<Locale> {
  const fromCookie = (await cookies()).get(LOCALE_COOKIE)?.value;
  if (isLocale(fromCookie)) return fromCookie;
  const accepted = parseAcceptLanguage((await headers()).get('accept-language'));
  return matchLocale(accepted) ?? defaultLocale;
}

/** `generateMetadata` for a page whose title is one dictionary entry; the root layout adds the product name. */
export function titleMetadata(key: MessageKey): () => Promise<Metadata> {
  return async () => {
    const locale = await getServerLocale();
    const t = createTranslator(dictionaries[locale], locale);
    return { title: t(key) };
  };
}
