'use client';

import { vmNameSchema, type Vm } from '@uni-manager/contracts';
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
import { FormField } from '@/components/ui/form-field';
import { Input } from '@/components/ui/input';
import { ApiError } from '@/lib/api/errors';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { useVmAction } from './use-vm-action';
import { describeVmError } from './vm-errors';
import { vmNameError } from './vm-name';

export function RenameDialog({ vm, onClose }: { vm: Vm | null; onClose: () => void }) {
  const { t } = useI18n();
  return (
    <Dialog open={vm !== null} onOpenChange={(open) => !open && onClose()}>
      {vm ? (
        <DialogContent closeLabel={t('common.close')} data-testid="vm-rename-dialog">
          <RenameForm key={vm.id} vm={vm} onClose={onClose} />
        </DialogContent>
      ) : null}
    </Dialog>
  );
}

function RenameForm({ vm, onClose }: { vm: Vm; onClose: () => void }) {
  const { t, dict } = useI18n();
  const mutation = useVmAction();
  const [name, setName] = useState(vm.name);
  const [touched, setTouched] = useState(false);
  const [serverError, setServerError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const localError = vmNameError(name, t);
  const error = serverError ?? (touched ? localError : undefined);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setTouched(true);
    if (localError) return;
    const parsed = vmNameSchema.parse(name);
    if (parsed === vm.name) {
      onClose();
      return;
    }
    setFormError(null);
    try {
      await mutation.mutateAsync({ vm, request: { kind: 'rename', name: parsed } });
      toast.success(t('vms.done.rename', { name: parsed }));
      onClose();
    } catch (err) {
      const message = describeVmError(err, t, dict).title;
      if (err instanceof ApiError && (err.code === 'NAME_TAKEN' || err.fields.length > 0)) {
        setServerError(err.code === 'NAME_TAKEN' ? message : (err.fields[0]?.message ?? message));
      } else setFormError(message);
    }
  }

  return (
    <form noValidate onSubmit={onSubmit} className="grid gap-5">
      <DialogHeader>
        <DialogTitle>{t('vms.rename.title', { name: vm.name })}</DialogTitle>
        <DialogDescription>{t('vms.rename.description')}</DialogDescription>
      </DialogHeader>
      <FormField
        label={t('vms.rename.label')}
        error={error}
        hint={error === t('vms.create.nameRule') ? undefined : t('vms.create.nameRule')}
      >
        {(control) => (
          <Input
            {...control}
            autoFocus
            autoComplete="off"
            spellCheck={false}
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              setTouched(true);
              setServerError(null);
            }}
            className="font-mono"
            data-testid="vm-rename-input"
          />
        )}
      </FormField>
      {formError ? <Alert tone="destructive">{formError}</Alert> : null}
      <DialogFooter>
        <Button variant="outline" onClick={onClose} disabled={mutation.isPending}>
          {t('common.cancel')}
        </Button>
        <Button type="submit" pending={mutation.isPending} data-testid="vm-rename-submit">
          {mutation.isPending ? t('vms.actions.working') : t('vms.rename.submit')}
        </Button>
      </DialogFooter>
    </form>
  );
}
