'use client';

import { adjustCreditsBodySchema, type AdminUser, type Balance } from '@uni-manager/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Gift, MinusCircle } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { DialogIcon } from '@/components/ui/confirm-dialog';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { adjustUserCredits } from '@/lib/api/admin-billing';
import { ApiError } from '@/lib/api/errors';
import { queryKeys } from '@/lib/api/query-keys';
import { useFormFields } from '@/lib/forms/use-form-fields';
import { fieldErrorsFromApi, validate } from '@/lib/forms/validate';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { describeBillingError } from './billing-errors';
import { CreditsField, readCredits } from './credits-field';
import { newRequestId } from './ids';
import { useCredits } from './money';
import { ReasonField } from './reason-field';

export type AdjustKind = 'grant' | 'deduction';

interface AdjustCreditsDialogProps {
  user: AdminUser;
  /** The balance shown beside a deduction, so the admin sees how far it can go. */
  balance: Balance | undefined;
  kind: AdjustKind | null;
  onClose: () => void;
}

/** Grant or deduct credits for one user, with a reason the user and the audit log will see. */
export function AdjustCreditsDialog({ user, balance, kind, onClose }: AdjustCreditsDialogProps) {
  const { t } = useI18n();
  return (
    <Dialog open={kind !== null} onOpenChange={(open) => !open && onClose()}>
      {kind ? (
        <DialogContent closeLabel={t('common.close')} data-testid="adjust-credits-dialog" data-kind={kind}>
          {/* Mounted per opening: each opening has its own idempotency key and an empty form. */}
          <AdjustForm user={user} balance={balance} kind={kind} onClose={onClose} />
        </DialogContent>
      ) : null}
    </Dialog>
  );
}

function AdjustForm({
  user,
  balance,
  kind,
  onClose,
}: {
  user: AdminUser;
  balance: Balance | undefined;
  kind: AdjustKind;
  onClose: () => void;
}) {
  const { t, dict } = useI18n();
  const credits = useCredits();
  const queryClient = useQueryClient();
  // One key for this opening: a double click, or a retry after a lost answer, posts once.
  const [idempotencyKey] = useState(newRequestId);
  const { formRef, values, errors, formError, setFormError, update, showErrors } = useFormFields({
    amount: '',
    reason: '',
  });
  const mutation = useMutation({
    mutationFn: (body: Parameters<typeof adjustUserCredits>[1]) => adjustUserCredits(user.id, body),
    meta: { silent: true },
    onSuccess: () => {
      // The balance, the ledger, the users list, the reports and the audit log all moved.
      void queryClient.invalidateQueries({ queryKey: queryKeys.admin });
    },
  });
  const copy = dict.adminBilling.adjust[kind];
  const name = user.displayName || user.email;
  const amount = readCredits(values.amount, t);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setFormError(null);
    const checked = validate(adjustCreditsBodySchema.pick({ reason: true }), { reason: values.reason }, t);
    // The API refuses a deduction below zero; saying so before sending spares a round trip.
    const overdrawn = kind === 'deduction' && amount.ok && balance !== undefined && amount.minor > balance.posted;
    const found = {
      amount: !amount.ok ? amount.error : overdrawn ? t('adminBilling.errors.insufficientCredits') : undefined,
      reason: checked.ok ? undefined : checked.errors.reason,
    };
    if (!amount.ok || !checked.ok || overdrawn) {
      showErrors(found);
      return;
    }
    try {
      await mutation.mutateAsync({ kind, amount: amount.minor, reason: checked.data.reason, idempotencyKey });
      toast.success(t(`adminBilling.adjust.${kind}.done`, { amount: credits.withUnit(amount.minor), name }));
      onClose();
    } catch (err) {
      const message = describeBillingError(err, t, dict);
      if (err instanceof ApiError && err.code === 'INSUFFICIENT_CREDITS') {
        showErrors({ amount: message });
        return;
      }
      const fields = err instanceof ApiError ? fieldErrorsFromApi(err, ['amount', 'reason'] as const) : {};
      if (fields.amount || fields.reason) showErrors(fields);
      else setFormError(message);
    }
  }

  const after = amount.ok && balance ? balance.posted + (kind === 'grant' ? amount.minor : -amount.minor) : undefined;

  return (
    <form ref={formRef} noValidate onSubmit={onSubmit} className="grid gap-5">
      <DialogHeader className="flex-row items-start gap-4">
        <DialogIcon tone={kind === 'grant' ? 'info' : 'warning'}>
          {kind === 'grant' ? <Gift aria-hidden /> : <MinusCircle aria-hidden />}
        </DialogIcon>
        <div className="grid gap-1.5">
          <DialogTitle>{t(`adminBilling.adjust.${kind}.title`, { name })}</DialogTitle>
          <DialogDescription>{copy.description}</DialogDescription>
          <p className="text-xs text-muted-foreground">{user.email}</p>
        </div>
      </DialogHeader>
      <CreditsField
        label={t('adminBilling.adjust.amount')}
        name="amount"
        value={values.amount}
        onChange={(v) => update('amount', v)}
        error={errors.amount}
        autoFocus
        testId="adjust-amount"
        hint={
          balance
            ? after !== undefined
              ? t('adminBilling.adjust.balanceAfter', {
                  before: credits.withUnit(balance.posted),
                  after: credits.withUnit(after),
                })
              : t('adminBilling.adjust.balanceNow', { balance: credits.withUnit(balance.posted) })
            : undefined
        }
      />
      <ReasonField
        value={values.reason}
        onChange={(v) => update('reason', v)}
        hint={copy.reasonHint}
        error={errors.reason}
        testId="adjust-reason"
      />
      {formError ? <Alert tone="destructive">{formError}</Alert> : null}
      <DialogFooter>
        <Button variant="outline" onClick={onClose} disabled={mutation.isPending}>
          {t('common.cancel')}
        </Button>
        <Button
          type="submit"
          variant={kind === 'deduction' ? 'destructive' : 'default'}
          pending={mutation.isPending}
          data-testid="adjust-submit"
        >
          {mutation.isPending ? t('adminBilling.working') : copy.confirm}
        </Button>
      </DialogFooter>
    </form>
  );
}
