'use client';

import { useRef, useState } from 'react';
import { focusFirstInvalid } from './focus-first-invalid';
import type { Translate } from '@/lib/i18n/translate';
import type { FieldErrors } from './validate';

/**
 * The state every form here keeps: its values, an error per field (cleared as
 * the field is edited), one error for the whole form, and a ref so that a
 * failed submit can move focus to the first invalid field.
 */
export function useFormFields<F extends string>(initial: Record<F, string>) {
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState<Record<F, string>>(initial);
  const [errors, setErrors] = useState<FieldErrors<F>>({});
  const [formError, setFormError] = useState<string | null>(null);

  function update(field: F, value: string) {
    setValues((v) => ({ ...v, [field]: value }));
    if (errors[field]) setErrors((e) => ({ ...e, [field]: undefined }));
  }

  /** Shows these errors and moves focus to the first field that has one. */
  function showErrors(found: FieldErrors<F>) {
    setErrors(found);
    focusFirstInvalid(formRef.current);
  }

  return {
    formRef,
    values,
    errors,
    formError,
    setFormError,
    update,
    showErrors,
    clearErrors: () => setErrors({}),
    reset: () => setValues(initial),
  };
}

/** The error of a "repeat the password" field, if any. */
export function confirmationError(confirm: string, password: string, t: Translate): string | undefined {
  if (!confirm) return t('validation.required');
  if (confirm !== password) return t('validation.passwordsMismatch');
  return undefined;
}
