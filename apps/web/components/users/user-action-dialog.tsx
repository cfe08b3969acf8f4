'use client';

import { stateReasonBodySchema, type AdminUser } from '@uni-manager/contracts';
import { useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { Alert } from '@/components/ui/alert';
import {
  AlertDialog,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from '@/components/ui/alert-dialog';
import { Button } from '@/components/ui/button';
import { FormField } from '@/components/ui/form-field';
import { Textarea } from '@/components/ui/textarea';
import type { UserAction, UserActionKind } from '@/lib/api/admin-users';
import { isApiError } from '@/lib/api/errors';
import { describeError } from '@/lib/errors/describe';
import { fieldErrorsFromApi, validate } from '@/lib/forms/validate';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';
import { actionIcon, isDestructive } from './action-visuals';
import { needsReason } from './available-actions';
import { useUserAction } from './use-user-action';

export interface PendingAction {
  user: AdminUser;
  kind: UserActionKind;
}

/** Every moderation action goes through this confirmation; suspend and ban also ask why. */
export function UserActionDialog({ pending, onClose }: { pending: PendingAction | null; onClose: () => void }) {
  return (
    <AlertDialog open={pending !== null} onOpenChange={(open) => !open && onClose()}>
      {/* Keyed so each opening starts with an empty reason and no stale error. */}
      {pending ? (
        <ActionDialogBody key={`${pending.user.id}:${pending.kind}`} pending={pending} onClose={onClose} />
      ) : null}
    </AlertDialog>
  );
}

function ActionDialogBody({ pending, onClose }: { pending: PendingAction; onClose: () => void }) {
  const { t, dict } = useI18n();
  const { user, kind } = pending;
  const copy = dict.users.dialogs[kind];
  const name = user.displayName || user.email;
  const Icon = actionIcon[kind];
  const destructive = isDestructive(kind);
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string>();
  const [error, setError] = useState<string | null>(null);
  const mutation = useUserAction();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    let action: UserAction;
    if (needsReason(kind)) {
      const result = validate(stateReasonBodySchema, { reason }, t);
      if (!result.ok) {
        setReasonError(result.errors.reason);
        return;
      }
      action = { kind, reason: result.data.reason };
    } else {
      action = { kind };
    }
    try {
      await mutation.mutateAsync({ user, action });
      toast.success(t(`users.dialogs.${kind}.done`, { name }));
      onClose();
    } catch (err) {
      const fieldError = isApiError(err) ? fieldErrorsFromApi(err, ['reason'] as const).reason : undefined;
      if (fieldError) setReasonError(fieldError);
      else setError(describeError(err, t, dict).title);
    }
  }

  return (
    <AlertDialogContent data-testid="user-action-dialog" data-action={kind}>
      <form noValidate onSubmit={onSubmit} className="grid gap-5">
        <AlertDialogHeader className="flex-row items-start gap-4">
          <span
            className={cn(
              'flex size-10 shrink-0 items-center justify-center rounded-full border',
              destructive
                ? 'border-destructive/30 bg-destructive/10 text-destructive'
                : 'border-primary/25 bg-primary/10 text-primary',
            )}
          >
            <Icon className="size-5" aria-hidden />
          </span>
          <div className="grid gap-1.5">
            <AlertDialogTitle>{t(`users.dialogs.${kind}.title`, { name })}</AlertDialogTitle>
            <AlertDialogDescription>{copy.description}</AlertDialogDescription>
            <p className="text-xs text-muted-foreground">{user.email}</p>
          </div>
        </AlertDialogHeader>
        {needsReason(kind) ? (
          <FormField label={t('users.dialogs.reason')} hint={t('users.dialogs.reasonHint')} error={reasonError}>
            {(control) => (
              <Textarea
                {...control}
                name="reason"
                rows={3}
                maxLength={500}
                autoFocus
                value={reason}
                onChange={(e) => {
                  setReason(e.target.value);
                  setReasonError(undefined);
                }}
                data-testid="reason-input"
              />
            )}
          </FormField>
        ) : null}
        {error ? (
          <Alert tone="destructive" data-testid="action-error">
            {error}
          </Alert>
        ) : null}
        <AlertDialogFooter>
          <AlertDialogCancel asChild>
            <Button variant="outline" disabled={mutation.isPending}>
              {t('common.cancel')}
            </Button>
          </AlertDialogCancel>
          <Button
            type="submit"
            variant={destructive ? 'destructive' : 'default'}
            pending={mutation.isPending}
            data-testid="confirm-action"
          >
            {mutation.isPending ? t('users.dialogs.working') : copy.confirm}
          </Button>
        </AlertDialogFooter>
      </form>
    </AlertDialogContent>
  );
}
