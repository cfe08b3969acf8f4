/**
 * A message whose words depend on a number: "1 key", "2 keys". The form is
 * chosen by Intl.PluralRules for the reader's language from the `count`
 * parameter. English needs `one` and `other`; French also treats 0 and 1 as
 * `one`, and may give `many` for round millions ("1 000 000 de clés").
 * Kept deliberately small: the messages move to ICU plurals with next-intl.
 */
export interface Plural {
  one: string;
  other: string;
  many?: string;
}

/** Marks a dictionary entry as plural (and lets a locale add forms English lacks, such as `many`). */
export function plural(forms: Plural): Plural {
  return forms;
}

export function isPlural(node: unknown): node is Plural {
  return (
    typeof node === 'object' &&
    node !== null &&
    typeof (node as Plural).one === 'string' &&
    typeof (node as Plural).other === 'string'
  );
}

const rules = new Map<string, Intl.PluralRules>();

/** The form for `count` in the language `tag`; `other` when the language asks for a form the entry lacks. */
export function selectPlural(forms: Plural, count: number, tag: string): string {
  let r = rules.get(tag);
  if (!r) {
    r = new Intl.PluralRules(tag);
    rules.set(tag, r);
  }
  const category = r.select(count);
  return (
    (category === 'one' || category === 'many' || category === 'other' ? forms[category] : undefined) ?? forms.other
  );
}
