import type { Locale } from '../config';
import type { Dictionary } from './en';

/** One dictionary as a chunk of its own, for the browser when the reader switches language. */
export function loadDictionary(locale: Locale): Promise<Dictionary> {
  switch (locale) {
    case 'fr':
      return import('./fr').then((m) => m.fr);
    default:
      return import('./en').then((m) => m.en);
  }
}
