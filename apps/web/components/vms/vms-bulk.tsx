'use client';

import { bulkActions, type BulkActionResult, type Vm } from '@uni-manager/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CircleCheck, CircleX, X } from 'lucide-react';
import { useState } from 'react';
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
import { queryKeys } from '@/lib/api/query-keys';
import { runBulkAction, type BulkAction } from '@/lib/api/vms';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { actionIcon } from './action-visuals';
import { describeVmError, vmErrorText } from './vm-errors';

interface BulkBarProps {
  selected: Vm[];
  onClear: () => void;
}

/** Shown while VMs are ticked: the actions that apply to many at once. */
export function BulkBar({ selected, onClear }: BulkBarProps) {
  const { t } = useI18n();
  const [action, setAction] = useState<BulkAction | null>(null);
  if (selected.length === 0) return null;
  return (
    <div
      role="region"
      aria-label={t('vms.bulk.label')}
      className="flex flex-wrap items-center gap-2 border-b bg-primary/5 px-4 py-2.5"
      data-testid="vm-bulk-bar"
    >
      <span className="mr-auto text-sm font-medium tabular-nums" aria-live="polite">
        {t('vms.bulk.selected', { count: selected.length })}
      </span>
      {bulkActions.map((kind) => {
        const Icon = actionIcon[kind];
        return (
          <Button
            key={kind}
            variant="outline"
            size="sm"
            onClick={() => setAction(kind)}
            data-testid={`vm-bulk-${kind}`}
          >
            <Icon aria-hidden />
            {t(`vms.actions.${kind}`)}
          </Button>
        );
      })}
      <Button variant="ghost" size="sm" onClick={onClear} data-testid="vm-bulk-clear">
        <X aria-hidden />
        {t('vms.bulk.clear')}
      </Button>
      <AlertDialog open={action !== null} onOpenChange={(open) => !open && setAction(null)}>
        {action ? (
          <BulkDialog
            key={action}
            action={action}
            vms={selected}
            onClose={() => setAction(null)}
            onDone={() => {
              setAction(null);
              onClear();
            }}
          />
        ) : null}
      </AlertDialog>
    </div>
  );
}

function BulkDialog({
  action,
  vms,
  onClose,
  onDone,
}: {
  action: BulkAction;
  vms: Vm[];
  onClose: () => void;
  onDone: () => void;
}) {
  const { t, dict, format } = useI18n();
  const queryClient = useQueryClient();
  const [result, setResult] = useState<BulkActionResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const mutation = useMutation({
    mutationFn: () =>
      runBulkAction(
        action,
        vms.map((vm) => vm.id),
      ),
    meta: { silent: true },
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: queryKeys.vms });
      void queryClient.invalidateQueries({ queryKey: queryKeys.credits });
    },
  });
  const Icon = actionIcon[action];
  const count = format.number(vms.length);
  const nameOf = (id: string) => vms.find((vm) => vm.id === id)?.name ?? id;
  const failures = result?.results.filter((r) => r.error) ?? [];

  async function confirm() {
    setError(null);
    try {
      const answer = await mutation.mutateAsync();
      const failed = answer.results.filter((r) => r.error).length;
      if (failed === 0) {
        toast.success(t(`vms.bulk.done.${action}`, { count: answer.results.length }));
        onDone();
        return;
      }
      setResult(answer);
    } catch (err) {
      setError(describeVmError(err, t, dict).title);
    }
  }

  return (
    <AlertDialogContent data-testid="vm-bulk-dialog" data-action={action}>
      <AlertDialogHeader className="flex-row items-start gap-4">
        <DialogIcon tone={action === 'stop' ? 'destructive' : action === 'start' ? 'info' : 'warning'}>
          <Icon aria-hidden />
        </DialogIcon>
        <div className="grid gap-1.5">
          <AlertDialogTitle>
            {result ? t('vms.bulk.resultTitle') : t(`vms.bulk.confirm.${action}`, { count })}
          </AlertDialogTitle>
          <AlertDialogDescription>
            {result
              ? t('vms.bulk.resultSummary', {
                  queued: t('vms.bulk.resultQueued', { count: result.results.length - failures.length }),
                  refused: t('vms.bulk.resultRefused', { count: failures.length }),
                })
              : t(`vms.bulk.describe.${action}`)}
          </AlertDialogDescription>
        </div>
      </AlertDialogHeader>

      {result ? (
        <ul className="max-h-72 divide-y overflow-y-auto rounded-lg border text-sm" data-testid="vm-bulk-results">
          {result.results.map((r) => (
            <li
              key={r.id}
              className="flex items-start gap-2.5 px-3 py-2"
              data-testid="vm-bulk-result"
              data-name={nameOf(r.id)}
              data-ok={r.error ? 'false' : 'true'}
            >
              {r.error ? (
                <CircleX className="mt-0.5 size-4 shrink-0 text-destructive" aria-hidden />
              ) : (
                <CircleCheck className="mt-0.5 size-4 shrink-0 text-success" aria-hidden />
              )}
              <div className="min-w-0">
                <p className="truncate font-medium">{nameOf(r.id)}</p>
                <p className="text-xs text-muted-foreground">
                  {r.error ? vmErrorText(r.error, t, dict) : t('vms.bulk.queued')}
                </p>
              </div>
            </li>
          ))}
        </ul>
      ) : (
        <ul className="flex max-h-40 flex-wrap gap-1.5 overflow-y-auto">
          {vms.map((vm) => (
            <li key={vm.id} className="rounded-md bg-muted px-2 py-0.5 font-mono text-xs">
              {vm.name}
            </li>
          ))}
        </ul>
      )}

      {error ? <Alert tone="destructive">{error}</Alert> : null}
      <AlertDialogFooter>
        {result ? (
          <Button onClick={onDone} data-testid="vm-bulk-close">
            {t('common.close')}
          </Button>
        ) : (
          <>
            <AlertDialogCancel asChild>
              <Button variant="outline" disabled={mutation.isPending} onClick={onClose}>
                {t('common.cancel')}
              </Button>
            </AlertDialogCancel>
            <Button
              variant={action === 'stop' ? 'destructive' : 'default'}
              pending={mutation.isPending}
              onClick={() => void confirm()}
              data-testid="vm-bulk-confirm"
            >
              {mutation.isPending ? t('vms.actions.working') : t(`vms.bulk.run.${action}`, { count })}
            </Button>
          </>
        )}
      </AlertDialogFooter>
    </AlertDialogContent>
  );
}
