import { defaultLocale, isLocale, LOCALE_COOKIE, LOCALE_STORAGE_KEY, matchLocale, type Locale } from './config';

/*
 * The browser's idea of the current language, outside React so the provider
 * can read it with useSyncExternalStore: the server renders with the cookie's
 * (or Accept-Language's) language, and the client converges to the stored
 * choice without a setState inside an effect.
 */

const listeners = new Set<() => void>();
let current: Locale | undefined;

function readCookie(): string | undefined {
  const prefix = `${LOCALE_COOKIE}=`;
  return document.cookie
    .split('; ')
    .find((part) => part.startsWith(prefix))
    ?.slice(prefix.length);
}

function readStorage(): string | null {
  try {
    return localStorage.getItem(LOCALE_STORAGE_KEY);
  } catch {
    // Storage can be disabled by privacy settings; the cookie still works.
    return null;
  }
}

function detect(): Locale {
  const stored = readStorage();
  if (isLocale(stored)) return stored;
  const cookie = readCookie();
  if (isLocale(cookie)) return cookie;
  return matchLocale(navigator.languages?.length ? navigator.languages : [navigator.language]) ?? defaultLocale;
}

export function getClientLocale(): Locale {
  current ??= detect();
  return current;
}

export function subscribeLocale(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The cookie lets the server render the next page in this language from its first byte. */
export function writeLocaleCookie(locale: Locale): void {
  document.cookie = `${LOCALE_COOKIE}=${locale}; Path=/; Max-Age=31536000; SameSite=Lax`;
}

/** An explicit choice from the language switcher: remembered in storage and cookie. */
export function chooseLocale(locale: Locale): void {
  current = locale;
  try {
    localStorage.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    // See readStorage.
  }
  writeLocaleCookie(locale);
  for (const listener of listeners) listener();
}
