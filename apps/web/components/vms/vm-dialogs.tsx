'use client';

import type { Vm } from '@uni-manager/contracts';
import { useCallback, useState, type FormEvent, type ReactNode } from 'react';
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
import { Checkbox } from '@/components/ui/checkbox';
import { FormField } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { Label } from '@/components/ui/label';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';
import { actionIcon } from './action-visuals';
import { RenameDialog } from './rename-dialog';
import { ResizeDialog } from './resize-dialog';
import { useVmAction } from './use-vm-action';
import type { ConfirmedPowerKind, VmActionKind } from './vm-actions-model';
import { describeVmError } from './vm-errors';

type DialogKind = ConfirmedPowerKind | 'resize' | 'rename' | 'delete';

interface Pending {
  vm: Vm;
  kind: DialogKind;
}

/**
 * Everything a user (or an admin) can do to a VM, shared by the VM's page and
 * the admin list: `run(vm, kind)` starts an action, asking first where it
 * interrupts the guest; `dialogs` renders the dialogs it may need.
 */
export function useVmActions({ onDeleted }: { onDeleted?: () => void } = {}) {
  const { t, dict } = useI18n();
  const [pending, setPending] = useState<Pending | null>(null);
  const direct = useVmAction();
  const { mutate } = direct;

  const run = useCallback(
    (vm: Vm, kind: VmActionKind) => {
      if (kind === 'start' || kind === 'resume') {
        mutate(
          { vm, request: { kind } },
          {
            onSuccess: () => toast.success(t(`vms.done.${kind}`, { name: vm.name })),
            onError: (err) =>
              toast.error(t('vms.actions.failed', { name: vm.name }), {
                description: describeVmError(err, t, dict).title,
              }),
          },
        );
        return;
      }
      setPending({ vm, kind: kind as DialogKind });
    },
    [mutate, t, dict],
  );

  const close = useCallback(() => setPending(null), []);
  const busyId = direct.isPending ? direct.variables?.vm.id : undefined;
  const power = pending && needsPowerConfirm(pending.kind) ? { vm: pending.vm, kind: pending.kind } : null;

  const dialogs = (
    <>
      <ConfirmPowerDialog pending={power} onClose={close} />
      <ResizeDialog vm={pending?.kind === 'resize' ? pending.vm : null} onClose={close} />
      <RenameDialog vm={pending?.kind === 'rename' ? pending.vm : null} onClose={close} />
      <DeleteDialog vm={pending?.kind === 'delete' ? pending.vm : null} onClose={close} onDeleted={onDeleted} />
    </>
  );

  return { run, dialogs, busyId };
}

function needsPowerConfirm(kind: DialogKind): kind is ConfirmedPowerKind {
  return kind === 'shutdown' || kind === 'stop' || kind === 'reboot' || kind === 'suspend';
}

export function DialogIcon({ tone, children }: { tone: 'warning' | 'destructive' | 'info'; children: ReactNode }) {
  return (
    <span
      className={cn(
        'flex size-10 shrink-0 items-center justify-center rounded-full border [&_svg]:size-5',
        tone === 'warning' && 'border-warning/30 bg-warning/10 text-warning',
        tone === 'destructive' && 'border-destructive/30 bg-destructive/10 text-destructive',
        tone === 'info' && 'border-info/30 bg-info/10 text-info',
      )}
    >
      {children}
    </span>
  );
}

function ConfirmPowerDialog({
  pending,
  onClose,
}: {
  pending: { vm: Vm; kind: ConfirmedPowerKind } | null;
  onClose: () => void;
}) {
  return (
    <AlertDialog open={pending !== null} onOpenChange={(open) => !open && onClose()}>
      {pending ? (
        <ConfirmPowerBody
          key={`${pending.vm.id}:${pending.kind}`}
          vm={pending.vm}
          kind={pending.kind}
          onClose={onClose}
        />
      ) : null}
    </AlertDialog>
  );
}

/** A forced stop can lose unsaved data, so it reads as destructive; the others only interrupt. */
function ConfirmPowerBody({ vm, kind, onClose }: { vm: Vm; kind: ConfirmedPowerKind; onClose: () => void }) {
  const { t, dict } = useI18n();
  const mutation = useVmAction();
  const [forceStop, setForceStop] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const Icon = actionIcon[kind];
  const forceId = `vm-force-stop-${vm.id}`;

  async function confirm() {
    setError(null);
    try {
      await mutation.mutateAsync({
        vm,
        request: kind === 'shutdown' ? { kind, options: { forceStop } } : { kind },
      });
      toast.success(t(`vms.done.${kind}`, { name: vm.name }));
      onClose();
    } catch (err) {
      setError(describeVmError(err, t, dict).title);
    }
  }

  return (
    <AlertDialogContent data-testid="vm-confirm-dialog" data-action={kind}>
      <AlertDialogHeader className="flex-row items-start gap-4">
        <DialogIcon tone={kind === 'stop' ? 'destructive' : 'warning'}>
          <Icon aria-hidden />
        </DialogIcon>
        <div className="grid gap-1.5">
          <AlertDialogTitle>{t(`vms.confirm.${kind}.title`, { name: vm.name })}</AlertDialogTitle>
          <AlertDialogDescription>{t(`vms.confirm.${kind}.description`)}</AlertDialogDescription>
        </div>
      </AlertDialogHeader>
      {kind === 'shutdown' ? (
        <div className="flex items-start gap-3 rounded-lg border p-3">
          <Checkbox
            id={forceId}
            checked={forceStop}
            onCheckedChange={(v) => setForceStop(v === true)}
            className="mt-0.5"
            data-testid="vm-shutdown-force"
          />
          <div className="grid gap-1">
            <Label htmlFor={forceId}>{t('vms.confirm.shutdown.force')}</Label>
            <p className="text-[0.8125rem] text-muted-foreground">{t('vms.confirm.shutdown.forceHint')}</p>
          </div>
        </div>
      ) : null}
      {error ? <Alert tone="destructive">{error}</Alert> : null}
      <AlertDialogFooter>
        <AlertDialogCancel asChild>
          <Button variant="outline" disabled={mutation.isPending}>
            {t('common.cancel')}
          </Button>
        </AlertDialogCancel>
        <Button
          variant={kind === 'stop' ? 'destructive' : 'default'}
          pending={mutation.isPending}
          onClick={() => void confirm()}
          data-testid="vm-confirm"
        >
          {mutation.isPending ? t('vms.actions.working') : t(`vms.confirm.${kind}.confirm`)}
        </Button>
      </AlertDialogFooter>
    </AlertDialogContent>
  );
}

function DeleteDialog({ vm, onClose, onDeleted }: { vm: Vm | null; onClose: () => void; onDeleted?: () => void }) {
  return (
    <AlertDialog open={vm !== null} onOpenChange={(open) => !open && onClose()}>
      {vm ? <DeleteBody key={vm.id} vm={vm} onClose={onClose} onDeleted={onDeleted} /> : null}
    </AlertDialog>
  );
}

/** Deleting asks for the VM's name to be typed: a slip of the mouse cannot destroy a disk. */
function DeleteBody({ vm, onClose, onDeleted }: { vm: Vm; onClose: () => void; onDeleted?: () => void }) {
  const { t, dict } = useI18n();
  const mutation = useVmAction();
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const matches = typed.trim() === vm.name;

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!matches) return;
    setError(null);
    try {
      await mutation.mutateAsync({ vm, request: { kind: 'delete' } });
      toast.success(t('vms.done.delete', { name: vm.name }));
      onClose();
      onDeleted?.();
    } catch (err) {
      setError(describeVmError(err, t, dict).title);
    }
  }

  return (
    <AlertDialogContent data-testid="vm-delete-dialog">
      <form noValidate onSubmit={onSubmit} className="grid gap-5">
        <AlertDialogHeader className="flex-row items-start gap-4">
          <DialogIcon tone="destructive">
            <actionIcon.delete aria-hidden />
          </DialogIcon>
          <div className="grid gap-1.5">
            <AlertDialogTitle>{t('vms.delete.title', { name: vm.name })}</AlertDialogTitle>
            <AlertDialogDescription>{t('vms.delete.description')}</AlertDialogDescription>
          </div>
        </AlertDialogHeader>
        <FormField
          label={
            <>
              {t('vms.delete.typeName')}{' '}
              <span className="select-all rounded bg-muted px-1.5 py-0.5 font-mono text-[0.8125rem]">{vm.name}</span>
            </>
          }
        >
          {(control) => (
            <Input
              {...control}
              autoFocus
              autoComplete="off"
              spellCheck={false}
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              data-testid="vm-delete-confirm-input"
            />
          )}
        </FormField>
        {error ? <Alert tone="destructive">{error}</Alert> : null}
        <AlertDialogFooter>
          <AlertDialogCancel asChild>
            <Button variant="outline" disabled={mutation.isPending}>
              {t('common.cancel')}
            </Button>
          </AlertDialogCancel>
          <Button
            type="submit"
            variant="destructive"
            disabled={!matches}
            pending={mutation.isPending}
            data-testid="vm-delete-confirm"
          >
            {mutation.isPending ? t('vms.actions.working') : t('vms.delete.confirm')}
          </Button>
        </AlertDialogFooter>
      </form>
    </AlertDialogContent>
  );
}
