'use client';

import { registerBodySchema } from '@uni-manager/contracts';
import { useMutation } from '@tanstack/react-query';
import Link from 'next/link';
import { toast } from 'sonner';
import { z } from 'zod';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FormField } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { PasswordInput } from '@/components/ui/password-input';
import { register } from '@/lib/api/auth';
import { isApiError } from '@/lib/api/errors';
import { describeError } from '@/lib/errors/describe';
import { confirmation, showFieldErrors, useContractForm } from '@/lib/forms/use-contract-form';
import { fieldErrorsFromApi } from '@/lib/forms/validate';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { AuthCard } from './auth-card';
import { PasswordHint } from './password-hint';
import { useSignedInRedirect } from './use-signed-in-redirect';

type Field = 'email' | 'displayName' | 'password' | 'confirmPassword';
const FIELDS: readonly Field[] = ['email', 'displayName', 'password', 'confirmPassword'];
const schema = registerBodySchema
  .extend({ confirmPassword: z.string().min(1) })
  .refine((v) => v.confirmPassword === v.password, confirmation);

export function RegisterForm() {
  const { t, dict } = useI18n();
  const next = useSignedInRedirect();
  const form = useContractForm(schema, { email: '', displayName: '', password: '', confirmPassword: '' });
  const { errors } = form.formState;
  const formError = errors.root?.server?.message;
  const mutation = useMutation({ mutationFn: register, meta: { silent: true } });

  const onSubmit = form.handleSubmit(async ({ email, displayName, password }) => {
    try {
      const session = await mutation.mutateAsync({ email, displayName, password });
      toast.success(t('auth.register.welcome', { name: session.user.displayName }));
    } catch (err) {
      if (isApiError(err)) {
        const byCode: Partial<Record<string, Field>> = { EMAIL_TAKEN: 'email', WEAK_PASSWORD: 'password' };
        const field = byCode[err.code];
        if (field) {
          showFieldErrors(form, { [field]: dict.errorCodes[err.code as 'EMAIL_TAKEN' | 'WEAK_PASSWORD'] });
          return;
        }
        if (showFieldErrors(form, fieldErrorsFromApi(err, FIELDS))) return;
      }
      form.setError('root.server', { message: describeError(err, t, dict).title });
    }
  });

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
        <FormField label={t('auth.register.email')} error={errors.email?.message}>
          {(control) => (
            <Input
              {...control}
              {...form.register('email')}
              type="email"
              inputMode="email"
              autoComplete="email"
              autoFocus
            />
          )}
        </FormField>
        <FormField
          label={t('auth.register.displayName')}
          hint={t('auth.register.displayNameHint')}
          error={errors.displayName?.message}
        >
          {(control) => <Input {...control} {...form.register('displayName')} autoComplete="name" maxLength={80} />}
        </FormField>
        <FormField
          label={t('auth.register.password')}
          hint={<PasswordHint password={form.watch('password')} />}
          error={errors.password?.message}
        >
          {(control) => (
            <PasswordInput
              {...control}
              {...form.register('password')}
              autoComplete="new-password"
              showLabel={t('common.showPassword')}
              hideLabel={t('common.hidePassword')}
            />
          )}
        </FormField>
        <FormField label={t('auth.register.confirmPassword')} error={errors.confirmPassword?.message}>
          {(control) => (
            <PasswordInput
              {...control}
              {...form.register('confirmPassword')}
              autoComplete="new-password"
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
