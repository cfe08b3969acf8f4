'use client';

import { changePasswordBodySchema } from '@uni-manager/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { toast } from 'sonner';
import { z } from 'zod';
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
import { confirmation, showFieldErrors, useContractForm } from '@/lib/forms/use-contract-form';
import { fieldErrorsFromApi } from '@/lib/forms/validate';
import { useI18n } from '@/lib/i18n/i18n-provider';

const schema = changePasswordBodySchema
  .extend({ confirmPassword: z.string().min(1) })
  .refine((v) => v.confirmPassword === v.newPassword, confirmation);
const EMPTY = { currentPassword: '', newPassword: '', confirmPassword: '' };

export function PasswordCard() {
  const { t, dict } = useI18n();
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const form = useContractForm(schema, EMPTY);
  const { errors } = form.formState;
  const formError = errors.root?.server?.message;
  const mutation = useMutation({ mutationFn: changePassword, meta: { silent: true } });

  const onSubmit = form.handleSubmit(async ({ currentPassword, newPassword }) => {
    try {
      await mutation.mutateAsync({ currentPassword, newPassword });
      form.reset(EMPTY);
      toast.success(t('account.password.changed'));
      void queryClient.invalidateQueries({ queryKey: queryKeys.me });
    } catch (err) {
      if (isApiError(err)) {
        if (err.code === 'WRONG_PASSWORD') {
          showFieldErrors(form, { currentPassword: dict.errorCodes.WRONG_PASSWORD });
          return;
        }
        if (err.code === 'WEAK_PASSWORD') {
          showFieldErrors(form, { newPassword: dict.errorCodes.WEAK_PASSWORD });
          return;
        }
        if (showFieldErrors(form, fieldErrorsFromApi(err, ['currentPassword', 'newPassword'] as const))) return;
      }
      form.setError('root.server', { message: describeError(err, t, dict).title });
    }
  });

  const passwordProps = { showLabel: t('common.showPassword'), hideLabel: t('common.hidePassword') };

  return (
    <Card aria-labelledby="password-title">
      <form noValidate onSubmit={onSubmit} className="flex h-full flex-col" data-testid="password-form">
        <CardHeader>
          <CardTitle id="password-title">{t('account.password.title')}</CardTitle>
          <CardDescription>{t('account.password.description')}</CardDescription>
        </CardHeader>
        <CardContent className="grid flex-1 content-start gap-5">
          {formError ? <Alert tone="destructive">{formError}</Alert> : null}
          {/* Lets password managers tie the new password to the right account. */}
          <input type="email" name="username" autoComplete="username" value={user?.email ?? ''} hidden readOnly />
          <FormField label={t('account.password.current')} error={errors.currentPassword?.message}>
            {(control) => (
              <PasswordInput
                {...control}
                {...passwordProps}
                {...form.register('currentPassword')}
                autoComplete="current-password"
              />
            )}
          </FormField>
          <FormField
            label={t('account.password.new')}
            hint={<PasswordHint password={form.watch('newPassword')} />}
            error={errors.newPassword?.message}
          >
            {(control) => (
              <PasswordInput
                {...control}
                {...passwordProps}
                {...form.register('newPassword')}
                autoComplete="new-password"
              />
            )}
          </FormField>
          <FormField label={t('account.password.confirm')} error={errors.confirmPassword?.message}>
            {(control) => (
              <PasswordInput
                {...control}
                {...passwordProps}
                {...form.register('confirmPassword')}
                autoComplete="new-password"
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
