import type { Dictionary } from './dictionaries';

/**
 * Sections keyed by contract enums (some keys contain dots, e.g. "auth.login");
 * they are read through `dict.roles[role]` rather than a dotted path.
 */
type EnumSections = 'errorCodes' | 'roles' | 'states' | 'auditActions';

type LeafPaths<T> = {
  [K in keyof T & string]: T[K] extends string ? K : `${K}.${LeafPaths<T[K]>}`;
}[keyof T & string];

/** Every message `t` can reach, as a dotted path: a wrong key is a type error. */
export type MessageKey = LeafPaths<Omit<Dictionary, EnumSections>>;
export type MessageParams = Record<string, string | number | Date>;
/**
 * An ICU message with its arguments: `{name}`, and plurals as
 * `{count, plural, one {# key} other {# keys}}` (the count formatted for the
 * reader's language). next-intl's `t`, narrowed to the keys above.
 */
export type Translate = (key: MessageKey, params?: MessageParams) => string;
