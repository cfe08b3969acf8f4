import type { z } from 'zod';
import { fieldName, type ApiError } from '@/lib/api/errors';
import type { MessageKey, Translate } from '@/lib/i18n/translate';

export type FieldErrors<F extends string = string> = Partial<Record<F, string>>;

/** Attach to a custom zod issue (`params: { messageKey }`) so it is translated like the built-in ones. */
export interface TranslatableIssueParams {
  messageKey: MessageKey;
}

function hasMessageKey(params: unknown): params is TranslatableIssueParams {
  return typeof params === 'object' && params !== null && 'messageKey' in params;
}

/**
 * The contract schemas carry English messages; the codes and limits of their
 * issues are enough to say the same thing in the user's language.
 */
export function translateIssue(issue: z.core.$ZodIssue, t: Translate): string {
  switch (issue.code) {
    case 'too_small':
      if (issue.origin === 'string') {
        return Number(issue.minimum) <= 1
          ? t('validation.required')
          : t('validation.minChars', { min: Number(issue.minimum) });
      }
      break;
    case 'too_big':
      if (issue.origin === 'string') return t('validation.maxChars', { max: Number(issue.maximum) });
      break;
    case 'invalid_format':
      if (issue.format === 'email') return t('validation.email');
      break;
    case 'custom':
      if (hasMessageKey(issue.params)) return t(issue.params.messageKey);
      if (/control characters/i.test(issue.message)) return t('validation.controlChars');
      break;
    case 'invalid_type':
      return t('validation.required');
  }
  return issue.message || t('validation.invalid');
}

export type Validation<T, F extends string> = { ok: true; data: T } | { ok: false; errors: FieldErrors<F> };

/** Validates form values with a schema; the first problem of each field is kept. */
export function validate<S extends z.ZodType, F extends string>(
  schema: S,
  values: Record<F, unknown>,
  t: Translate,
): Validation<z.output<S>, F> {
  const result = schema.safeParse(values);
  if (result.success) return { ok: true, data: result.data };
  const errors: FieldErrors<F> = {};
  for (const issue of result.error.issues) {
    const field = String(issue.path[0] ?? '') as F;
    errors[field] ??= translateIssue(issue, t);
  }
  return { ok: false, errors };
}

/**
 * Server-side field errors, keyed by form field. Where the error code says more
 * than the server's English text (a taken email, a weak password), the code's
 * translation wins.
 */
export function fieldErrorsFromApi<F extends string>(
  err: ApiError,
  fields: readonly F[],
  codeMessage?: string,
): FieldErrors<F> {
  const errors: FieldErrors<F> = {};
  for (const { path, message } of err.fields) {
    const name = fieldName(path) as F;
    if (fields.includes(name)) errors[name] ??= err.code === 'VALIDATION_FAILED' ? message : (codeMessage ?? message);
  }
  return errors;
}
