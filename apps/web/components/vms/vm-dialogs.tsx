'use client';

import type { Vm } from '@uni-manager/contracts';
import { useCallback, useState } from 'react';
import { toast } from 'sonner';
import { AlertDialog } from '@/components/ui/alert-dialog';
import { Checkbox } from '@/components/ui/checkbox';
import { ConfirmContent } from '@/components/ui/confirm-dialog';
import { Label } from '@/components/ui/label';
import { useI18n } from '@/lib/i18n/i18n-provider';
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
  const Icon = actionIcon[kind];
  const forceId = `vm-force-stop-${vm.id}`;

  return (
    <ConfirmContent
      testId="vm-confirm-dialog"
      action={kind}
      tone={kind === 'stop' ? 'destructive' : 'warning'}
      icon={<Icon aria-hidden />}
      title={t(`vms.confirm.${kind}.title`, { name: vm.name })}
      description={t(`vms.confirm.${kind}.description`)}
      pending={mutation.isPending}
      confirmLabel={t(`vms.confirm.${kind}.confirm`)}
      workingLabel={t('vms.actions.working')}
      confirmVariant={kind === 'stop' ? 'destructive' : 'default'}
      confirmTestId="vm-confirm"
      onConfirm={async () => {
        await mutation.mutateAsync({
          vm,
          request: kind === 'shutdown' ? { kind, options: { forceStop } } : { kind },
        });
        toast.success(t(`vms.done.${kind}`, { name: vm.name }));
        onClose();
      }}
      describeError={(err) => describeVmError(err, t, dict).title}
    >
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
    </ConfirmContent>
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

  return (
    <ConfirmContent
      testId="vm-delete-dialog"
      tone="destructive"
      icon={<actionIcon.delete aria-hidden />}
      title={t('vms.delete.title', { name: vm.name })}
      description={t('vms.delete.description')}
      typedName={{ name: vm.name, label: t('vms.delete.typeName'), inputTestId: 'vm-delete-confirm-input' }}
      pending={mutation.isPending}
      confirmLabel={t('vms.delete.confirm')}
      workingLabel={t('vms.actions.working')}
      confirmVariant="destructive"
      confirmTestId="vm-delete-confirm"
      onConfirm={async () => {
        await mutation.mutateAsync({ vm, request: { kind: 'delete' } });
        toast.success(t('vms.done.delete', { name: vm.name }));
        onClose();
        onDeleted?.();
      }}
      describeError={(err) => describeVmError(err, t, dict).title}
    />
  );
}
