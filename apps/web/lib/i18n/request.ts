import { cookies, headers } from 'next/headers';
import { getRequestConfig } from 'next-intl/server';
import { defaultLocale, isLocale, LOCALE_COOKIE, matchLocale, parseAcceptLanguage, type Locale } from './config';
import { compiledMessages } from './compiled';
import { onIntlError } from './errors';

/** The cookie holds the user's choice; without one, the browser's languages decide. */
export async function getServerLocale(): Promise<Locale> {
  const fromCookie = (await cookies()).get(LOCALE_COOKIE)?.value;
  if (isLocale(fromCookie)) return fromCookie;
  const accepted = parseAcceptLanguage((await headers()).get('accept-language'));
  return matchLocale(accepted) ?? defaultLocale;
}

/*
 * next-intl's request configuration (wired in next.config.ts), without i18n
 * routing: URLs carry no locale, the language comes from our cookie.
 */
export default getRequestConfig(async () => {
  const locale = await getServerLocale();
  return { locale, messages: compiledMessages(locale), onError: onIntlError };
});
