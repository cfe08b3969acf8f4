import type { Locale } from '../config';
import { en, type Dictionary } from './en';
import { fr } from './fr';

export type { Dictionary };

/**
 * Every dictionary, for the server: it renders in the reader's language and
 * hands that one dictionary to the browser (see I18nProvider), so a page's
 * JavaScript carries no dictionary at all.
 */
export const dictionaries: Record<Locale, Dictionary> = { en, fr };
