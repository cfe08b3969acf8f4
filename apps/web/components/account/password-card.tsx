'use client';

import { changePasswordBodySchema } from '@uni-manager/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { toast } from 'sonner';
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
import { confirmationError, useFormFields } from '@/lib/forms/use-form-fields';
import { useI18n } from '@/lib/i18n/i18n-provider';

type Field = 'currentPassword' | 'newPassword' | 'confirmPassword';
const EMPTY: Record<Field, string> = { currentPassword: '', newPassword: '', confirmPassword: '' };

export function PasswordCard() {
  const { t, dict } = useI18n();
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const { formRef, values, errors, formError, setFormError, update, showErrors, clearErrors, reset } =
    useFormFields<Field>(EMPTY);
  const mutation = useMutation({ mutationFn: changePassword, meta: { silent: true } });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    const result = validate(changePasswordBodySchema, values, t);
    const found: FieldErrors<Field> = result.ok ? {} : { ...result.errors };
    const confirm = confirmationError(values.confirmPassword, values.newPassword, t);
    if (confirm) found.confirmPassword = confirm;
    if (!result.ok || Object.values(found).some(Boolean)) {
      showErrors(found);
      return;
    }
    clearErrors();
    try {
      await mutation.mutateAsync(result.data);
      reset();
      toast.success(t('account.password.changed'));
      void queryClient.invalidateQueries({ queryKey: queryKeys.me });
    } catch (err) {
      if (isApiError(err)) {
        if (err.code === 'WRONG_PASSWORD') {
          showErrors({ currentPassword: dict.errorCodes.WRONG_PASSWORD });
          return;
        }
        if (err.code === 'WEAK_PASSWORD') {
          showErrors({ newPassword: dict.errorCodes.WEAK_PASSWORD });
          return;
        }
        const fromServer = fieldErrorsFromApi(err, ['currentPassword', 'newPassword'] as const);
        if (Object.keys(fromServer).length) {
          showErrors(fromServer);
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
