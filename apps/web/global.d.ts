import type { Locale } from '@/lib/i18n/config';
import type { Dictionary } from '@/lib/i18n/dictionaries';

// next-intl's typed configuration: a key missing from the English messages is a type error.
declare module 'next-intl' {
  interface AppConfig {
    Locale: Locale;
    Messages: Dictionary;
  }
}
