import { intlLocale, type Locale } from './config';
import type { Dictionary } from './dictionaries';
import { isPlural, selectPlural, type Plural } from './plural';

/**
 * Sections keyed by contract enums (some keys contain dots, e.g. "auth.login");
 * they are read through `dict.roles[role]` rather than a dotted path.
 */
type EnumSections = 'errorCodes' | 'roles' | 'states' | 'auditActions';

type LeafPaths<T> = {
  [K in keyof T & string]: T[K] extends string | Plural ? K : `${K}.${LeafPaths<T[K]>}`;
}[keyof T & string];

export type MessageKey = LeafPaths<Omit<Dictionary, EnumSections>>;
export type MessageParams = Record<string, string | number>;
/**
 * A message with its `{name}` placeholders filled. A plural entry picks its
 * form from `params.count` (a number, formatted for the reader's language).
 */
export type Translate = (key: MessageKey, params?: MessageParams) => string;

/** Replaces `{name}` placeholders; an unknown placeholder is left visible so it gets noticed. */
export function interpolate(template: string, params?: MessageParams): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
}

export function createTranslator(dict: Dictionary, locale: Locale): Translate {
  const tag = intlLocale[locale];
  const numbers = new Intl.NumberFormat(tag);
  return (key, params) => {
    let node: unknown = dict;
    for (const part of key.split('.')) {
      node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
    }
    if (typeof node === 'string') return interpolate(node, params);
    if (isPlural(node)) {
      const count = params?.count;
      if (typeof count !== 'number') return interpolate(node.other, params);
      return interpolate(selectPlural(node, count, tag), { ...params, count: numbers.format(count) });
    }
    return key;
  };
}
