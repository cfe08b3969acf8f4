import { isLocale, LOCALE_COOKIE, LOCALE_STORAGE_KEY, type Locale } from './config';

/*
 * The browser's side of the language choice. The server renders in the
 * cookie's language (or Accept-Language's); the choice is also kept in
 * storage, which survives a cookie purge, and put back into the cookie.
 */

/** The language chosen in this browser with the switcher, if any. */
export function readStoredLocale(): Locale | undefined {
  try {
    const stored = localStorage.getItem(LOCALE_STORAGE_KEY);
    return isLocale(stored) ? stored : undefined;
  } catch {
    // Storage can be disabled by privacy settings; the cookie still works.
    return undefined;
  }
}

/** The cookie lets the server render the next page in this language from its first byte. */
export function writeLocaleCookie(locale: Locale): void {
  document.cookie = `${LOCALE_COOKIE}=${locale}; Path=/; Max-Age=31536000; SameSite=Lax`;
}

/** An explicit choice from the language switcher: remembered in storage and cookie. */
export function chooseLocale(locale: Locale): void {
  try {
    localStorage.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    // See readStoredLocale.
  }
  writeLocaleCookie(locale);
}
