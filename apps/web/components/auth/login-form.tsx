'use client';

import { loginBodySchema, type LoginBody } from '@uni-manager/contracts';
import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FormField } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { PasswordInput } from '@/components/ui/password-input';
import { login } from '@/lib/api/auth';
import { isApiError } from '@/lib/api/errors';
import { sessionEndFor } from '@/lib/auth/session-end';
import { useAuth } from '@/lib/auth/use-auth';
import { describeError } from '@/lib/errors/describe';
import { showFieldErrors, useContractForm } from '@/lib/forms/use-contract-form';
import { fieldErrorsFromApi } from '@/lib/forms/validate';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { AuthCard } from './auth-card';
import { noticeMessage, SessionNotice } from './session-notice';
import { useSignedInRedirect } from './use-signed-in-redirect';

const FIELDS = ['email', 'password'] as const;

export function LoginForm() {
  const { t, dict } = useI18n();
  const { notice } = useAuth();
  const next = useSignedInRedirect();
  const form = useContractForm<LoginBody, LoginBody>(loginBodySchema, { email: '', password: '' });
  const { errors } = form.formState;
  const formError = errors.root?.server?.message;
  const mutation = useMutation({ mutationFn: login, meta: { silent: true } });

  const onSubmit = form.handleSubmit(async (body) => {
    try {
      await mutation.mutateAsync(body);
      // useSignedInRedirect takes over once the session is stored.
    } catch (err) {
      if (isApiError(err) && err.code === 'VALIDATION_FAILED' && showFieldErrors(form, fieldErrorsFromApi(err, FIELDS)))
        return;
      // Suspended and banned accounts get the administrator's reason, as on a forced logout.
      const ended = isApiError(err) ? sessionEndFor(err, 'authenticated') : undefined;
      form.setError('root.server', {
        message:
          ended && (ended.reason === 'suspended' || ended.reason === 'banned')
            ? noticeMessage(ended, t)
            : describeError(err, t, dict).title,
      });
    }
  });

  const registerHref = next !== '/dashboard' ? `/register?next=${encodeURIComponent(next)}` : '/register';

  return (
    <AuthCard
      title={t('auth.login.title')}
      subtitle={t('auth.login.subtitle')}
      footer={
        <>
          {t('auth.login.noAccount')}{' '}
          <Link href={registerHref} className="font-medium text-primary underline-offset-4 hover:underline">
            {t('auth.login.toRegister')}
          </Link>
        </>
      }
    >
      <form
        noValidate
        onSubmit={onSubmit}
        className="grid gap-5"
        data-testid="login-form"
        aria-label={t('auth.login.title')}
      >
        {notice && !formError ? <SessionNotice notice={notice} /> : null}
        {formError ? (
          <Alert tone="destructive" data-testid="form-error">
            {formError}
          </Alert>
        ) : null}
        <FormField label={t('auth.login.email')} error={errors.email?.message}>
          {(control) => (
            <Input
              {...control}
              {...form.register('email')}
              type="email"
              inputMode="email"
              autoComplete="username"
              autoFocus
            />
          )}
        </FormField>
        <FormField label={t('auth.login.password')} error={errors.password?.message}>
          {(control) => (
            <PasswordInput
              {...control}
              {...form.register('password')}
              autoComplete="current-password"
              showLabel={t('common.showPassword')}
              hideLabel={t('common.hidePassword')}
            />
          )}
        </FormField>
        <Button type="submit" className="w-full" pending={mutation.isPending}>
          {mutation.isPending ? t('auth.login.submitting') : t('auth.login.submit')}
        </Button>
      </form>
    </AuthCard>
  );
}
