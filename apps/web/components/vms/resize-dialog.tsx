'use client';

import type { ResizeBody, Vm } from '@uni-manager/contracts';
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { toast } from 'sonner';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { Skeleton } from '@/components/ui/skeleton';
import { ApiError, fieldName } from '@/lib/api/errors';
import { fetchCatalogTemplate } from '@/lib/api/catalog';
import { queryKeys } from '@/lib/api/query-keys';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { boundsOf, type SizeBounds } from './size-bounds';
import { SizeField, sizeError } from './size-field';
import { useVmAction } from './use-vm-action';
import { describeVmError } from './vm-errors';
import { formatCores, formatDisk, formatMemory } from './vm-format';

type SizeKey = 'cores' | 'memoryMib' | 'diskGib';
type Size = Record<SizeKey, number>;

export function ResizeDialog({ vm, onClose }: { vm: Vm | null; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Dialog open={vm !== null} onOpenChange={(open) => !open && onClose()}>
      {vm ? (
        <DialogContent className="max-w-xl" closeLabel={t('common.close')} data-testid="vm-resize-dialog">
          <ResizeBodyView key={vm.id} vm={vm} onClose={onClose} />
        </DialogContent>
      ) : null}
    </Dialog>
  );
}

function ResizeBodyView({ vm, onClose }: { vm: Vm; onClose: () => void }) {
  const { t, format } = useI18n();
  const templateId = vm.template?.id;
  const template = useQuery({
    queryKey: queryKeys.catalogTemplate(templateId ?? ''),
    queryFn: ({ signal }) => fetchCatalogTemplate(templateId!, signal),
    enabled: templateId !== undefined,
    meta: { silent: true },
    retry: false,
  });

  return (
    <>
      <DialogHeader>
        <DialogTitle>{t('vms.resize.title', { name: vm.name })}</DialogTitle>
        <DialogDescription>
          {vm.powerState === 'running' ? t('vms.resize.runningHint') : t('vms.resize.stoppedHint')}
        </DialogDescription>
      </DialogHeader>
      {vm.pending ? (
        <Alert tone="info" data-testid="vm-resize-pending">
          {t('vms.resize.pendingNow', {
            size: [
              vm.pending.cores !== undefined ? formatCores(vm.pending.cores, t) : null,
              vm.pending.memoryMib !== undefined ? formatMemory(vm.pending.memoryMib, t, format) : null,
            ]
              .filter(Boolean)
              .join(' · '),
          })}
        </Alert>
      ) : null}
      {templateId !== undefined && template.isPending ? (
        <div className="grid gap-5" aria-busy>
          <Skeleton className="h-14" />
          <Skeleton className="h-14" />
          <Skeleton className="h-14" />
        </div>
      ) : (
        <ResizeForm vm={vm} bounds={boundsOf(template.data ?? null, vm.diskGib)} onClose={onClose} />
      )}
    </>
  );
}

function ResizeForm({ vm, bounds, onClose }: { vm: Vm; bounds: SizeBounds; onClose: () => void }) {
  const { t, dict, format } = useI18n();
  const mutation = useVmAction();
  // Pending values are what Proxmox is configured with; the form starts from them.
  const current: Size = {
    cores: vm.pending?.cores ?? vm.cores,
    memoryMib: vm.pending?.memoryMib ?? vm.memoryMib,
    diskGib: vm.diskGib,
  };
  const [size, setSize] = useState<Size>(current);
  const [serverErrors, setServerErrors] = useState<Partial<Record<SizeKey, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);

  const describe = {
    cores: (v: number) => formatCores(v, t),
    memoryMib: (v: number) => formatMemory(v, t, format),
    diskGib: (v: number) => formatDisk(v, t, format),
  };
  const localErrors: Partial<Record<SizeKey, string>> = {
    cores: sizeError(size.cores, bounds.cores, describe.cores, t),
    memoryMib: sizeError(size.memoryMib, bounds.memoryMib, describe.memoryMib, t),
    diskGib:
      size.diskGib < vm.diskGib
        ? t('vms.resize.diskShrink', { size: describe.diskGib(vm.diskGib) })
        : sizeError(size.diskGib, bounds.diskGib, describe.diskGib, t),
  };
  const errors = { ...serverErrors, ...Object.fromEntries(Object.entries(localErrors).filter(([, v]) => v)) };
  const changed = (Object.keys(size) as SizeKey[]).filter((k) => size[k] !== current[k]);

  function set(key: SizeKey, value: number) {
    setSize((s) => ({ ...s, [key]: value }));
    setServerErrors((e) => ({ ...e, [key]: undefined }));
    setFormError(null);
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (Object.values(localErrors).some(Boolean)) return;
    if (changed.length === 0) {
      setFormError(t('vms.resize.unchanged'));
      return;
    }
    const body: ResizeBody = Object.fromEntries(changed.map((k) => [k, size[k]]));
    setFormError(null);
    try {
      await mutation.mutateAsync({ vm, request: { kind: 'resize', body } });
      toast.success(t('vms.done.resize', { name: vm.name }));
      onClose();
    } catch (err) {
      const message = describeVmError(err, t, dict).title;
      if (err instanceof ApiError && err.code === 'DISK_SHRINK_NOT_SUPPORTED') {
        setServerErrors({ diskGib: message });
        return;
      }
      const fields: Partial<Record<SizeKey, string>> = {};
      if (err instanceof ApiError) {
        for (const f of err.fields) {
          const name = fieldName(f.path) as SizeKey;
          if (name in current) fields[name] ??= f.message;
        }
      }
      if (Object.keys(fields).length > 0) setServerErrors(fields);
      else setFormError(message);
    }
  }

  return (
    <form noValidate onSubmit={onSubmit} className="grid gap-6">
      <SizeField
        label={t('vms.size.cores')}
        value={size.cores}
        min={bounds.cores.min}
        max={bounds.cores.max}
        step={1}
        unit={t('vms.units.coresUnit')}
        describe={describe.cores}
        onChange={(v) => set('cores', v)}
        error={errors.cores}
        testId="vm-resize-cores"
      />
      <SizeField
        label={t('vms.size.memory')}
        value={size.memoryMib}
        min={bounds.memoryMib.min}
        max={bounds.memoryMib.max}
        step={bounds.memoryMib.step}
        scale={1024}
        unit={t('vms.units.gibUnit')}
        describe={describe.memoryMib}
        onChange={(v) => set('memoryMib', v)}
        error={errors.memoryMib}
        testId="vm-resize-memory"
      />
      <SizeField
        label={t('vms.size.disk')}
        value={size.diskGib}
        min={bounds.diskGib.min}
        max={bounds.diskGib.max}
        step={1}
        unit={t('vms.units.gibUnit')}
        describe={describe.diskGib}
        onChange={(v) => set('diskGib', v)}
        error={errors.diskGib}
        hint={t('vms.resize.diskHint')}
        testId="vm-resize-disk"
      />
      {formError ? <Alert tone="destructive">{formError}</Alert> : null}
      <DialogFooter>
        <Button variant="outline" onClick={onClose} disabled={mutation.isPending}>
          {t('common.cancel')}
        </Button>
        <Button type="submit" pending={mutation.isPending} data-testid="vm-resize-submit">
          {mutation.isPending ? t('vms.actions.working') : t('vms.resize.submit')}
        </Button>
      </DialogFooter>
    </form>
  );
}
