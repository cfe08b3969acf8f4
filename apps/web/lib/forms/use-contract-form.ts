'use client';

import {
  useForm,
  type DefaultValues,
  type FieldErrors as FormErrors,
  type FieldValues,
  type Path,
  type Resolver,
  type UseFormReturn,
} from 'react-hook-form';
import { type z } from 'zod';
import { useT } from '@/lib/i18n/i18n-provider';
import type { Translate } from '@/lib/i18n/translate';
import { validate, type FieldErrors } from './validate';

/**
 * The schema checked by our own `validate`, not @hookform/resolvers/zod: the
 * contracts carry English messages ("Enter your password") that zod puts
 * before any error map, and `validate` says every issue in the reader's
 * language from its code and limits.
 */
function contractResolver<V extends FieldValues, O>(schema: z.ZodType<O, V>, t: Translate): Resolver<V, unknown, O> {
  return (values) => {
    const result = validate(schema, values, t);
    if (result.ok) return { values: result.data, errors: {} };
    const errors = Object.fromEntries(
      Object.entries(result.errors).map(([field, message]) => [field, { type: 'validate', message }]),
    ) as FormErrors<V>;
    return { values: {}, errors };
  };
}

/**
 * react-hook-form over a contract schema. Fields register their input
 * (`{...form.register('email')}`); a failed submit moves focus to the first
 * invalid field, and FormField ties each error to its input with
 * aria-describedby. The whole-form error lives in `errors.root.server`.
 */
export function useContractForm<V extends FieldValues, O>(
  schema: z.ZodType<O, V>,
  defaultValues: DefaultValues<V>,
): UseFormReturn<V, unknown, O> {
  const t = useT();
  return useForm<V, unknown, O>({ resolver: contractResolver(schema, t), defaultValues, shouldFocusError: true });
}

/** Errors found after the schema passed (the API's answer, a check of our own), shown and focused like the schema's. */
export function showFieldErrors<V extends FieldValues>(
  form: Pick<UseFormReturn<V, unknown, unknown>, 'setError'>,
  errors: FieldErrors<Path<V>>,
): boolean {
  const found = Object.entries(errors).filter((e): e is [Path<V>, string] => typeof e[1] === 'string');
  found.forEach(([field, message], i) => form.setError(field, { type: 'server', message }, { shouldFocus: i === 0 }));
  return found.length > 0;
}

/**
 * The options of a "repeat the password" refinement (`.refine((v) => v.confirmPassword === v.password,
 * confirmation)`): the error sits on confirmPassword, translated, and is said as soon as the box is filled,
 * not only once every other field is valid.
 */
export const confirmation = {
  path: ['confirmPassword'],
  params: { messageKey: 'validation.passwordsMismatch' },
  when: ({ value }: { value: unknown }) =>
    typeof value === 'object' && value !== null && (value as Record<string, unknown>).confirmPassword !== '',
} satisfies z.core.$ZodCustomParams;
