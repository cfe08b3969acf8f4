import compile from 'icu-minify/compile';
import type { Locale } from './config';
import { dictionaries, type Dictionary } from './dictionaries';

/*
 * The messages as next-intl's precompiled form (icu-minify): parsed here, on
 * the server, once per language, so the browser formats them without an ICU
 * parser in its JavaScript (next.config.ts points `use-intl/format-message`
 * at its format-only half). A message without arguments stays the same
 * string, which is what `dict.roles[role]` and the like read.
 */

const compiled = new Map<Locale, Dictionary>();

function compileTree(tree: object): object {
  return Object.fromEntries(
    Object.entries(tree).map(([key, value]) => [
      key,
      typeof value === 'string' ? compile(value) : compileTree(value as object),
    ]),
  );
}

/** Typed as the source messages: next-intl's typed keys are the same, only the leaves' form differs. */
export function compiledMessages(locale: Locale): Dictionary {
  let messages = compiled.get(locale);
  if (!messages) {
    // A JSON round trip: icu-minify's plural options have no prototype, which React cannot send to the browser.
    messages = JSON.parse(JSON.stringify(compileTree(dictionaries[locale]))) as Dictionary;
    compiled.set(locale, messages);
  }
  return messages;
}
