'use client';

import { reverseTransferBodySchema, type Transaction } from '@uni-manager/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { RotateCcw } from 'lucide-react';
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
import { DialogIcon } from '@/components/ui/confirm-dialog';
import { reverseTransaction } from '@/lib/api/admin-billing';
import { ApiError } from '@/lib/api/errors';
import { queryKeys } from '@/lib/api/query-keys';
import { fieldErrorsFromApi, validate } from '@/lib/forms/validate';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { describeBillingError } from './billing-errors';
import { useCredits } from './money';
import { ReasonField } from './reason-field';

/** A transaction is undone by a reversing one that names it; the original stays, marked. */
export function ReverseDialog({
  transaction,
  owner,
  onClose,
}: {
  transaction: Transaction | null;
  /** Whose ledger it is, when the dialog is opened from the platform's list. */
  owner?: string;
  onClose: () => void;
}) {
  return (
    <AlertDialog open={transaction !== null} onOpenChange={(open) => !open && onClose()}>
      {transaction ? (
        <ReverseBody key={transaction.id} transaction={transaction} owner={owner} onClose={onClose} />
      ) : null}
    </AlertDialog>
  );
}

function ReverseBody({
  transaction,
  owner,
  onClose,
}: {
  transaction: Transaction;
  owner?: string;
  onClose: () => void;
}) {
  const { t, dict, format } = useI18n();
  const credits = useCredits();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [reasonError, setReasonError] = useState<string>();
  const [error, setError] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: (why: string) => reverseTransaction(transaction.id, why),
    meta: { silent: true },
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: queryKeys.admin }),
  });

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setError(null);
    const result = validate(reverseTransferBodySchema, { reason }, t);
    if (!result.ok) {
      setReasonError(result.errors.reason);
      return;
    }
    try {
      await mutation.mutateAsync(result.data.reason);
      toast.success(t('adminBilling.reverse.done', { amount: credits.signed(-transaction.amount) }));
      onClose();
    } catch (err) {
      const field = err instanceof ApiError ? fieldErrorsFromApi(err, ['reason'] as const).reason : undefined;
      if (field) setReasonError(field);
      else setError(describeBillingError(err, t, dict));
    }
  }

  return (
    <AlertDialogContent data-testid="reverse-dialog">
      <form noValidate onSubmit={onSubmit} className="grid gap-5">
        <AlertDialogHeader className="flex-row items-start gap-4">
          <DialogIcon tone="warning">
            <RotateCcw aria-hidden />
          </DialogIcon>
          <div className="grid gap-1.5">
            <AlertDialogTitle>{t('adminBilling.reverse.title')}</AlertDialogTitle>
            <AlertDialogDescription>
              {t('adminBilling.reverse.description', { amount: credits.signed(-transaction.amount) })}
            </AlertDialogDescription>
            <dl className="mt-1 grid grid-cols-[auto_1fr] gap-x-3 gap-y-1 text-xs">
              {owner ? (
                <>
                  <dt className="text-muted-foreground">{t('adminBilling.columns.user')}</dt>
                  <dd className="truncate">{owner}</dd>
                </>
              ) : null}
              <dt className="text-muted-foreground">{t('adminBilling.columns.kind')}</dt>
              <dd>{dict.adminBilling.kinds[transaction.kind]}</dd>
              <dt className="text-muted-foreground">{t('adminBilling.columns.amount')}</dt>
              <dd className="tabular-nums">{credits.signed(transaction.amount)}</dd>
              <dt className="text-muted-foreground">{t('adminBilling.columns.date')}</dt>
              <dd>{format.dateTime(transaction.createdAt)}</dd>
              {transaction.reason ? (
                <>
                  <dt className="text-muted-foreground">{t('adminBilling.reason')}</dt>
                  <dd className="break-words">{transaction.reason}</dd>
                </>
              ) : null}
            </dl>
          </div>
        </AlertDialogHeader>
        <ReasonField
          value={reason}
          onChange={(v) => {
            setReason(v);
            setReasonError(undefined);
          }}
          hint={t('adminBilling.reverse.reasonHint')}
          error={reasonError}
          testId="reverse-reason"
          autoFocus
        />
        {error ? <Alert tone="destructive">{error}</Alert> : null}
        <AlertDialogFooter>
          <AlertDialogCancel asChild>
            <Button variant="outline" disabled={mutation.isPending}>
              {t('common.cancel')}
            </Button>
          </AlertDialogCancel>
          <Button type="submit" pending={mutation.isPending} data-testid="confirm-reverse">
            {mutation.isPending ? t('adminBilling.working') : t('adminBilling.reverse.confirm')}
          </Button>
        </AlertDialogFooter>
      </form>
    </AlertDialogContent>
  );
}
