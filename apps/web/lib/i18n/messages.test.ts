import {
  isPluralElement,
  isSelectElement,
  isTagElement,
  parse,
  TYPE,
  type MessageFormatElement,
} from '@formatjs/icu-messageformat-parser';
import formatCompiled, { type CompiledMessage } from 'icu-minify/format';
import { IntlMessageFormat } from 'intl-messageformat';
import { describe, expect, it } from 'vitest';
import { compiledMessages } from './compiled';
import { intlLocale, locales, type Locale } from './config';
import { dictionaries } from './dictionaries';

/** Sections keyed by contract enums, whose keys may hold dots ("auth.login"); read by key, not by path. */
const ENUM_SECTIONS = new Set(['errorCodes', 'roles', 'states', 'auditActions']);

/** Every message of a tree by its dotted path. */
function flatten(tree: unknown, prefix = '', into = new Map<string, string>()): Map<string, string> {
  for (const [key, value] of Object.entries(tree as Record<string, unknown>)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') into.set(path, value);
    else if (typeof value === 'object' && value !== null) flatten(value, path, into);
    else throw new Error(`${path} is neither a message nor a section`);
  }
  return into;
}

/** The arguments a message takes, with how each is used: "name", "count:plural". */
function argumentsOf(elements: MessageFormatElement[], into = new Set<string>()): Set<string> {
  for (const el of elements) {
    if (el.type === TYPE.literal || el.type === TYPE.pound) continue;
    if (isTagElement(el)) {
      into.add(`<${el.value}>`);
      argumentsOf(el.children, into);
      continue;
    }
    into.add(el.type === TYPE.argument ? el.value : `${el.value}:${TYPE[el.type]}`);
    if (isPluralElement(el) || isSelectElement(el)) {
      for (const option of Object.values(el.options)) argumentsOf(option.value, into);
    }
  }
  return into;
}

/** Messages whose arguments differ by language on purpose, with why. */
const OWN_ARGUMENTS: Record<string, string> = {
  'errors.insufficientCredits': 'English shows the API’s own message; other languages word it from its figures',
};

const flat = Object.fromEntries(locales.map((locale) => [locale, flatten(dictionaries[locale])])) as Record<
  Locale,
  Map<string, string>
>;
const english = flat.en;

describe('messages', () => {
  it.each(locales.filter((l) => l !== 'en'))('%s has exactly the keys of English', (locale) => {
    const keys = [...flat[locale].keys()];
    expect(
      keys.filter((k) => !english.has(k)),
      'keys English lacks',
    ).toEqual([]);
    expect(
      [...english.keys()].filter((k) => !flat[locale].has(k)),
      'keys missing',
    ).toEqual([]);
  });

  it.each(locales)('every %s message is valid ICU', (locale) => {
    const invalid: string[] = [];
    for (const [key, message] of flat[locale]) {
      try {
        parse(message);
      } catch (error) {
        invalid.push(`${key}: ${(error as Error).message} in ${JSON.stringify(message)}`);
      }
    }
    expect(invalid).toEqual([]);
  });

  it.each(locales.filter((l) => l !== 'en'))('%s messages take the same arguments as English', (locale) => {
    const differ: string[] = [];
    for (const [key, message] of english) {
      const other = flat[locale].get(key);
      if (other === undefined || key in OWN_ARGUMENTS) continue;
      const want = [...argumentsOf(parse(message))].sort();
      const got = [...argumentsOf(parse(other))].sort();
      if (want.join() !== got.join())
        differ.push(`${key}: ${got.join(', ') || '(none)'} instead of ${want.join(', ')}`);
    }
    expect(differ).toEqual([]);
  });

  it('no message formats a date or a time: dates go through format.ts, in the reader’s time zone', () => {
    const dated = [...english].filter(([, message]) =>
      [...argumentsOf(parse(message))].some((arg) => /:(date|time)$/.test(arg)),
    );
    expect(dated.map(([key]) => key)).toEqual([]);
  });

  it('only enum-keyed sections have dots in their keys (next-intl reads a dot as nesting)', () => {
    const walk = (tree: Record<string, unknown>, path: string[]): string[] =>
      Object.entries(tree).flatMap(([key, value]) => {
        if (path.length === 0 && ENUM_SECTIONS.has(key)) return [];
        const here = [...path, key];
        const bad = key.includes('.') ? [here.join(' › ')] : [];
        return typeof value === 'object' && value !== null
          ? [...bad, ...walk(value as Record<string, unknown>, here)]
          : bad;
      });
    expect(walk(dictionaries.en, [])).toEqual([]);
  });

  it('picks plural forms by language, parsed or precompiled: French "one" covers 0 and 1', () => {
    const key = 'vms.create.sshKeysCount';
    const formatters = {
      getDateTimeFormat: (...args: ConstructorParameters<typeof Intl.DateTimeFormat>) =>
        new Intl.DateTimeFormat(...args),
      getNumberFormat: (...args: ConstructorParameters<typeof Intl.NumberFormat>) => new Intl.NumberFormat(...args),
      getPluralRules: (...args: ConstructorParameters<typeof Intl.PluralRules>) => new Intl.PluralRules(...args),
    };
    const counts = [0, 1, 2, 1200];
    const parsed = (locale: Locale) =>
      counts.map((count) => new IntlMessageFormat(flat[locale].get(key)!, intlLocale[locale]).format({ count }));
    // What the browser runs: the compiled message, under the locale next-intl is given ("fr").
    const compiled = (locale: Locale) => {
      const message = compiledMessages(locale).vms.create.sshKeysCount as unknown as CompiledMessage;
      return counts.map((count) => formatCompiled(message, locale, { count }, { formatters }));
    };
    for (const run of [parsed, compiled]) {
      expect(run('en')).toEqual(['0 keys', '1 key', '2 keys', '1,200 keys']);
      expect(run('fr')).toEqual(['0 clé', '1 clé', '2 clés', '1\u202f200 clés']);
    }
  });

  it.each(locales)(
    '%s compiles for the browser, and a message without arguments stays itself (read by `dict`)',
    (locale) => {
      const compiled = compiledMessages(locale);
      const at = (key: string): unknown => {
        const [section = '', ...rest] = key.split('.');
        // An enum section's keys may hold dots: they are one key below the section.
        const path = ENUM_SECTIONS.has(section) ? [section, rest.join('.')] : [section, ...rest];
        return path.reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], compiled);
      };
      const changed = [...flat[locale]].filter(([key, message]) => {
        const elements = parse(message);
        const isPlain = elements.every((el) => el.type === TYPE.literal);
        return at(key) === undefined || (isPlain && at(key) !== elements.map((el) => el.value).join(''));
      });
      expect(changed).toEqual([]);
    },
  );
});
