import type { Dictionary } from './dictionaries';

/**
 * Sections keyed by contract enums (some keys contain dots, e.g. "auth.login");
 * they are read through `dict.roles[role]` rather than a dotted path.
 */
type EnumSections = 'errorCodes' | 'roles' | 'states' | 'auditActions';

type LeafPaths<T> = {
  [K in keyof T & string]: T[K] extends string ? K : `${K}.${LeafPaths<T[K]>}`;
}[keyof T & string];

export type MessageKey = LeafPaths<Omit<Dictionary, EnumSections>>;
export type MessageParams = Record<string, string | number>;
export type Translate = (key: MessageKey, params?: MessageParams) => string;

/** Replaces `{name}` placeholders; an unknown placeholder is left visible so it gets noticed. */
export function interpolate(template: string, params?: MessageParams): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (match, name: string) => (name in params ? String(params[name]) : match));
}

export function createTranslator(dict: Dictionary): Translate {
  return (key, params) => {
    let node: unknown = dict;
    for (const part of key.split('.')) {
      node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
    }
    return typeof node === 'string' ? interpolate(node, params) : key;
  };
}
