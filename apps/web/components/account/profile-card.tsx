'use client';

import { updateProfileBodySchema } from '@uni-manager/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { Button } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from '@/components/ui/card';
import { FormField } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { isApiError } from '@/lib/api/errors';
import { updateProfile } from '@/lib/api/me';
import { queryKeys } from '@/lib/api/query-keys';
import { useAuth } from '@/lib/auth/use-auth';
import { reportError } from '@/lib/errors/report';
import { fieldErrorsFromApi, validate } from '@/lib/forms/validate';
import { useT } from '@/lib/i18n/i18n-provider';

export function ProfileCard() {
  const t = useT();
  const { user } = useAuth();
  const queryClient = useQueryClient();
  const [displayName, setDisplayName] = useState(user?.displayName ?? '');
  const [error, setError] = useState<string>();
  const mutation = useMutation({
    mutationFn: updateProfile,
    meta: { silent: true },
    onSuccess: () => {
      toast.success(t('account.profile.saved'));
      void queryClient.invalidateQueries({ queryKey: queryKeys.me });
    },
  });

  if (!user) return null;
  const unchanged = displayName.trim() === user.displayName;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const result = validate(updateProfileBodySchema, { displayName }, t);
    if (!result.ok) {
      setError(result.errors.displayName);
      return;
    }
    setError(undefined);
    try {
      const updated = await mutation.mutateAsync(result.data);
      setDisplayName(updated.displayName);
    } catch (err) {
      const fieldError = isApiError(err) ? fieldErrorsFromApi(err, ['displayName'] as const).displayName : undefined;
      if (fieldError) setError(fieldError);
      else reportError(err);
    }
  }

  return (
    <Card aria-labelledby="profile-title">
      <form noValidate onSubmit={onSubmit} className="flex h-full flex-col" data-testid="profile-form">
        <CardHeader>
          <CardTitle id="profile-title">{t('account.profile.title')}</CardTitle>
          <CardDescription>{t('account.profile.description')}</CardDescription>
        </CardHeader>
        <CardContent className="grid flex-1 content-start gap-5">
          <FormField label={t('account.profile.email')} hint={t('account.profile.emailHint')}>
            {(control) => <Input {...control} value={user.email} readOnly type="email" />}
          </FormField>
          <FormField label={t('account.profile.displayName')} error={error}>
            {(control) => (
              <Input
                {...control}
                name="displayName"
                autoComplete="name"
                maxLength={80}
                value={displayName}
                onChange={(e) => {
                  setDisplayName(e.target.value);
                  setError(undefined);
                }}
              />
            )}
          </FormField>
        </CardContent>
        <CardFooter className="justify-end">
          <Button type="submit" size="sm" pending={mutation.isPending} disabled={unchanged}>
            {mutation.isPending ? t('common.saving') : t('common.save')}
          </Button>
        </CardFooter>
      </form>
    </Card>
  );
}
