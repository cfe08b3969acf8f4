'use client';

import { registerBodySchema } from '@uni-manager/contracts';
import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import type { FormEvent } from 'react';
import { toast } from 'sonner';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FormField } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { PasswordInput } from '@/components/ui/password-input';
import { register } from '@/lib/api/auth';
import { isApiError } from '@/lib/api/errors';
import { describeError } from '@/lib/errors/describe';
import { fieldErrorsFromApi, validate, type FieldErrors } from '@/lib/forms/validate';
import { confirmationError, useFormFields } from '@/lib/forms/use-form-fields';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { AuthCard } from './auth-card';
import { PasswordHint } from './password-hint';
import { useSignedInRedirect } from './use-signed-in-redirect';

type Field = 'email' | 'displayName' | 'password' | 'confirmPassword';
const FIELDS: readonly Field[] = ['email', 'displayName', 'password', 'confirmPassword'];

export function RegisterForm() {
  const { t, dict } = useI18n();
  const next = useSignedInRedirect();
  const { formRef, values, errors, formError, setFormError, update, showErrors, clearErrors } = useFormFields<Field>({
    email: '',
    displayName: '',
    password: '',
    confirmPassword: '',
  });
  const mutation = useMutation({ mutationFn: register, meta: { silent: true } });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    const result = validate(registerBodySchema, values, t);
    const found: FieldErrors<Field> = result.ok ? {} : { ...result.errors };
    const confirm = confirmationError(values.confirmPassword, values.password, t);
    if (confirm) found.confirmPassword = confirm;
    if (!result.ok || Object.values(found).some(Boolean)) {
      showErrors(found);
      return;
    }
    clearErrors();
    try {
      const session = await mutation.mutateAsync(result.data);
      toast.success(t('auth.register.welcome', { name: session.user.displayName }));
    } catch (err) {
      if (isApiError(err)) {
        const byCode: Partial<Record<string, Field>> = { EMAIL_TAKEN: 'email', WEAK_PASSWORD: 'password' };
        const field = byCode[err.code];
        if (field) {
          showErrors({ [field]: dict.errorCodes[err.code as 'EMAIL_TAKEN' | 'WEAK_PASSWORD'] });
          return;
        }
        if (err.fields.length) {
          const fromServer = fieldErrorsFromApi(err, FIELDS);
          if (Object.keys(fromServer).length) {
            showErrors(fromServer);
            return;
          }
        }
      }
      setFormError(describeError(err, t, dict).title);
    }
  }

  const loginHref = next !== '/dashboard' ? `/login?next=${encodeURIComponent(next)}` : '/login';

  return (
    <AuthCard
      title={t('auth.register.title')}
      subtitle={t('auth.register.subtitle')}
      footer={
        <>
          {t('auth.register.haveAccount')}{' '}
          <Link href={loginHref} className="font-medium text-primary underline-offset-4 hover:underline">
            {t('auth.register.toLogin')}
          </Link>
        </>
      }
    >
      <form
        ref={formRef}
        noValidate
        onSubmit={onSubmit}
        className="grid gap-5"
        data-testid="register-form"
        aria-label={t('auth.register.title')}
      >
        {formError ? (
          <Alert tone="destructive" data-testid="form-error">
            {formError}
          </Alert>
        ) : null}
        <FormField label={t('auth.register.email')} error={errors.email}>
          {(control) => (
            <Input
              {...control}
              name="email"
              type="email"
              inputMode="email"
              autoComplete="email"
              autoFocus
              value={values.email}
              onChange={(e) => update('email', e.target.value)}
            />
          )}
        </FormField>
        <FormField
          label={t('auth.register.displayName')}
          hint={t('auth.register.displayNameHint')}
          error={errors.displayName}
        >
          {(control) => (
            <Input
              {...control}
              name="displayName"
              autoComplete="name"
              maxLength={80}
              value={values.displayName}
              onChange={(e) => update('displayName', e.target.value)}
            />
          )}
        </FormField>
        <FormField
          label={t('auth.register.password')}
          hint={<PasswordHint password={values.password} />}
          error={errors.password}
        >
          {(control) => (
            <PasswordInput
              {...control}
              name="password"
              autoComplete="new-password"
              value={values.password}
              onChange={(e) => update('password', e.target.value)}
              showLabel={t('common.showPassword')}
              hideLabel={t('common.hidePassword')}
            />
          )}
        </FormField>
        <FormField label={t('auth.register.confirmPassword')} error={errors.confirmPassword}>
          {(control) => (
            <PasswordInput
              {...control}
              name="confirmPassword"
              autoComplete="new-password"
              value={values.confirmPassword}
              onChange={(e) => update('confirmPassword', e.target.value)}
              showLabel={t('common.showPassword')}
              hideLabel={t('common.hidePassword')}
            />
          )}
        </FormField>
        <Button type="submit" className="w-full" pending={mutation.isPending}>
          {mutation.isPending ? t('auth.register.submitting') : t('auth.register.submit')}
        </Button>
      </form>
    </AuthCard>
  );
}
