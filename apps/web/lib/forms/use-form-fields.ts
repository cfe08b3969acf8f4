'use client';

import { useRef, useState } from 'react';
import { focusFirstInvalid } from './focus-first-invalid';
import type { FieldErrors } from './validate';

/**
 * Hand-kept form state, for the forms that are not a contract schema over
 * plain text fields (the admin credit dialogs: amounts read in the reader's
 * decimal convention, checked against the live balance, previewed as typed):
 * values, an error per field (cleared as the field is edited), one error for
 * the whole form, and a ref so that a failed submit can move focus to the
 * first invalid field. Forms over a contract schema use useContractForm.
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
