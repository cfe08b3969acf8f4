export const locales = ['en', 'fr'] as const;
export type Locale = (typeof locales)[number];

export const defaultLocale: Locale = 'en';

/** Read by the server to render the right language and <html lang> on the first byte. */
export const LOCALE_COOKIE = 'um_locale';
/** The user's explicit choice; the cookie may be lost with a cookie purge, this survives it. */
export const LOCALE_STORAGE_KEY = 'um_locale';

/** BCP 47 tags handed to Intl: British English gives day-first dates and a 24-hour clock. */
export const intlLocale: Record<Locale, string> = { en: 'en-GB', fr: 'fr-FR' };

export const localeNames: Record<Locale, string> = { en: 'English', fr: 'Français' };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (locales as readonly string[]).includes(value);
}

/** First supported language in a preference list such as navigator.languages or Accept-Language. */
export function matchLocale(preferences: readonly string[]): Locale | undefined {
  for (const tag of preferences) {
    const base = tag.trim().toLowerCase().split(/[-_;]/)[0];
    if (isLocale(base)) return base;
  }
  return undefined;
}

/** Parses an Accept-Language header into tags ordered by quality. */
export function parseAcceptLanguage(header: string | null): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().split(';');
      const q = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
      return { tag, q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((entry) => entry.tag && entry.q > 0)
    .sort((a, b) => b.q - a.q)
    .map((entry) => entry.tag);
}
