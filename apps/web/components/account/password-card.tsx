'use client';

import { changePasswordBodySchema } from '@uni-manager/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { focusFirstInvalid } from '@/components/auth/focus-first-invalid';
import { PasswordHint } from '@/components/auth/password-hint';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from '@/components/ui/card';
import { FormField } from '@/components/ui/form-field';
import { PasswordInput } from '@/components/ui/password-input';
import { isApiError } from '@/lib/api/errors';
import { changePassword } from '@/lib/api/me';
import { queryKeys } from '@/lib/api/query-keys';
import { useAuth } from '@/lib/auth/use-auth';
import { describeError } from '@/lib/errors/describe';
import { fieldErrorsFromApi, validate, type FieldErrors } from '@/lib/forms/validate';
import { useI18n } from '@/lib/i18n/i18n-provider';

type Field = 'currentPassword' | 'newPassword' | 'confirmPassword';
const EMPTY: Record<Field, string> = { currentPassword: '', newPassword: '', confirmPassword: '' };

export function PasswordCard() {
  const { t, dict } = useI18n();
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const formRef = useRef<HTMLFormElement>(null);
  const [values, setValues] = useState(EMPTY);
  const [errors, setErrors] = useState<FieldErrors<Field>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const mutation = useMutation({ mutationFn: changePassword, meta: { silent: true } });

  function update(field: Field, value: string) {
    setValues((v) => ({ ...v, [field]: value }));
    if (errors[field]) setErrors((e) => ({ ...e, [field]: undefined }));
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    const result = validate(changePasswordBodySchema, values, t);
    const found: FieldErrors<Field> = result.ok ? {} : { ...result.errors };
    if (!values.confirmPassword) found.confirmPassword = t('validation.required');
    else if (values.confirmPassword !== values.newPassword) found.confirmPassword = t('validation.passwordsMismatch');
    if (!result.ok || Object.values(found).some(Boolean)) {
      setErrors(found);
      focusFirstInvalid(formRef.current);
      return;
    }
    setErrors({});
    try {
      await mutation.mutateAsync(result.data);
      setValues(EMPTY);
      toast.success(t('account.password.changed'));
      void queryClient.invalidateQueries({ queryKey: queryKeys.me });
    } catch (err) {
      if (isApiError(err)) {
        if (err.code === 'WRONG_PASSWORD') {
          setErrors({ currentPassword: dict.errorCodes.WRONG_PASSWORD });
          focusFirstInvalid(formRef.current);
          return;
        }
        if (err.code === 'WEAK_PASSWORD') {
          setErrors({ newPassword: dict.errorCodes.WEAK_PASSWORD });
          focusFirstInvalid(formRef.current);
          return;
        }
        const fromServer = fieldErrorsFromApi(err, ['currentPassword', 'newPassword'] as const);
        if (Object.keys(fromServer).length) {
          setErrors(fromServer);
          focusFirstInvalid(formRef.current);
          return;
        }
      }
      setFormError(describeError(err, t, dict).title);
    }
  }

  const passwordProps = { showLabel: t('common.showPassword'), hideLabel: t('common.hidePassword') };

  return (
    <Card aria-labelledby="password-title">
      <form ref={formRef} noValidate onSubmit={onSubmit} className="flex h-full flex-col" data-testid="password-form">
        <CardHeader>
          <CardTitle id="password-title">{t('account.password.title')}</CardTitle>
          <CardDescription>{t('account.password.description')}</CardDescription>
        </CardHeader>
        <CardContent className="grid flex-1 content-start gap-5">
          {formError ? <Alert tone="destructive">{formError}</Alert> : null}
          {/* Lets password managers tie the new password to the right account. */}
          <input type="email" name="username" autoComplete="username" value={user?.email ?? ''} hidden readOnly />
          <FormField label={t('account.password.current')} error={errors.currentPassword}>
            {(control) => (
              <PasswordInput
                {...control}
                {...passwordProps}
                name="currentPassword"
                autoComplete="current-password"
                value={values.currentPassword}
                onChange={(e) => update('currentPassword', e.target.value)}
              />
            )}
          </FormField>
          <FormField
            label={t('account.password.new')}
            hint={<PasswordHint password={values.newPassword} />}
            error={errors.newPassword}
          >
            {(control) => (
              <PasswordInput
                {...control}
                {...passwordProps}
                name="newPassword"
                autoComplete="new-password"
                value={values.newPassword}
                onChange={(e) => update('newPassword', e.target.value)}
              />
            )}
          </FormField>
          <FormField label={t('account.password.confirm')} error={errors.confirmPassword}>
            {(control) => (
              <PasswordInput
                {...control}
                {...passwordProps}
                name="confirmPassword"
                autoComplete="new-password"
                value={values.confirmPassword}
                onChange={(e) => update('confirmPassword', e.target.value)}
              />
            )}
          </FormField>
        </CardContent>
        <CardFooter className="justify-end">
          <Button type="submit" size="sm" pending={mutation.isPending}>
            {mutation.isPending ? t('account.password.submitting') : t('account.password.submit')}
          </Button>
        </CardFooter>
      </form>
    </Card>
  );
}
