'use client';

import type { Template } from '@uni-manager/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { CircleOff, Trash2 } from 'lucide-react';
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
import { isApiError } from '@/lib/api/errors';
import { queryKeys } from '@/lib/api/query-keys';
import { deleteTemplate, templateBody, updateTemplate } from '@/lib/api/templates';
import { describeError } from '@/lib/errors/describe';
import { useI18n } from '@/lib/i18n/i18n-provider';

interface DeleteTemplateDialogProps {
  template: Template | null;
  onClose: () => void;
  onDeleted?: () => void;
}

export function DeleteTemplateDialog({ template, onClose, onDeleted }: DeleteTemplateDialogProps) {
  return (
    <AlertDialog open={template !== null} onOpenChange={(open) => !open && onClose()}>
      {template ? <DeleteBody key={template.id} template={template} onClose={onClose} onDeleted={onDeleted} /> : null}
    </AlertDialog>
  );
}

/**
 * A template VMs still use cannot be deleted (their history names it): the
 * dialog then explains that and offers to disable it, which stops new VMs.
 */
function DeleteBody({
  template,
  onClose,
  onDeleted,
}: {
  template: Template;
  onClose: () => void;
  onDeleted?: () => void;
}) {
  const { t, dict } = useI18n();
  const queryClient = useQueryClient();
  const [inUse, setInUse] = useState<number | null>(template.vmCount > 0 ? template.vmCount : null);
  const [error, setError] = useState<string | null>(null);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: queryKeys.adminTemplates });
    void queryClient.invalidateQueries({ queryKey: ['admin', 'audit'] });
    void queryClient.invalidateQueries({ queryKey: ['templates'] });
  };

  const remove = useMutation({
    mutationFn: () => deleteTemplate(template.id),
    meta: { silent: true },
    onSuccess: () => {
      toast.success(t('templates.delete.done', { name: template.name }));
      queryClient.setQueryData<Template[]>(queryKeys.adminTemplates, (list) =>
        list?.filter((x) => x.id !== template.id),
      );
      refresh();
    },
  });
  const disable = useMutation({
    mutationFn: () => updateTemplate(template.id, { ...templateBody(template), visibility: 'disabled' }),
    meta: { silent: true },
    onSuccess: (saved) => {
      toast.success(t('templates.delete.disabled', { name: template.name }));
      queryClient.setQueryData(queryKeys.adminTemplate(saved.id), saved);
      refresh();
    },
  });

  async function confirmDelete() {
    setError(null);
    try {
      await remove.mutateAsync();
      onClose();
      onDeleted?.();
    } catch (err) {
      if (isApiError(err) && err.code === 'TEMPLATE_IN_USE') {
        setInUse(typeof err.details.vmCount === 'number' ? err.details.vmCount : Math.max(1, template.vmCount));
        return;
      }
      setError(describeError(err, t, dict).title);
    }
  }

  async function confirmDisable() {
    setError(null);
    try {
      await disable.mutateAsync();
      onClose();
    } catch (err) {
      setError(describeError(err, t, dict).title);
    }
  }

  const busy = remove.isPending || disable.isPending;
  const alreadyDisabled = template.visibility === 'disabled';

  return (
    <AlertDialogContent data-testid="delete-template-dialog" data-in-use={inUse !== null}>
      <AlertDialogHeader className="flex-row items-start gap-4">
        <DialogIcon tone="destructive">
          <Trash2 aria-hidden />
        </DialogIcon>
        <div className="grid gap-1.5">
          <AlertDialogTitle>{t('templates.delete.title', { name: template.name })}</AlertDialogTitle>
          <AlertDialogDescription>
            {inUse === null ? t('templates.delete.description') : t('templates.delete.inUseLead')}
          </AlertDialogDescription>
        </div>
      </AlertDialogHeader>
      {inUse !== null ? (
        <Alert tone="warning" data-testid="template-in-use">
          <p className="font-medium">{t('templates.delete.inUse', { count: inUse })}</p>
          <p className="mt-0.5 text-muted-foreground">
            {alreadyDisabled ? t('templates.delete.inUseDisabled') : t('templates.delete.inUseHint')}
          </p>
        </Alert>
      ) : null}
      {error ? <Alert tone="destructive">{error}</Alert> : null}
      <AlertDialogFooter>
        <AlertDialogCancel asChild>
          <Button variant="outline" disabled={busy}>
            {t('common.cancel')}
          </Button>
        </AlertDialogCancel>
        {inUse === null ? (
          <Button
            variant="destructive"
            pending={remove.isPending}
            onClick={() => void confirmDelete()}
            data-testid="confirm-delete-template"
          >
            {remove.isPending ? t('templates.delete.working') : t('templates.delete.confirm')}
          </Button>
        ) : alreadyDisabled ? null : (
          <Button
            pending={disable.isPending}
            onClick={() => void confirmDisable()}
            data-testid="disable-template-instead"
          >
            {disable.isPending ? null : <CircleOff aria-hidden />}
            {disable.isPending ? t('templates.delete.working') : t('templates.delete.disableInstead')}
          </Button>
        )}
      </AlertDialogFooter>
    </AlertDialogContent>
  );
}
