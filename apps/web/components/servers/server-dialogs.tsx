'use client';

import type { Server } from '@uni-manager/contracts';
import { useMutation, useQueryClient, type UseMutationResult } from '@tanstack/react-query';
import { CircleOff, LoaderCircle, PlugZap, RotateCw, Trash2, Wrench } from 'lucide-react';
import { useCallback, useState } from 'react';
import { toast } from 'sonner';
import { Alert } from '@/components/ui/alert';
import { AlertDialog } from '@/components/ui/alert-dialog';
import { Button } from '@/components/ui/button';
import { ConfirmContent } from '@/components/ui/confirm-dialog';
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from '@/components/ui/dialog';
import { queryKeys } from '@/lib/api/query-keys';
import { deleteServer, testSavedServer } from '@/lib/api/servers';
import { describeError } from '@/lib/errors/describe';
import { useI18n } from '@/lib/i18n/i18n-provider';
import type { ConnectionTest } from '@uni-manager/contracts';
import { ConnectionResult } from './connection-result';
import { ServerFormDialog } from './server-form-dialog';
import { useServerToggle, type ServerToggle } from './use-server-toggle';

export type ServerActionKind = 'test' | 'edit' | 'remove' | ServerToggle;

interface Pending {
  server: Server;
  kind: ServerActionKind;
}

/**
 * Everything an admin can do to a server, shared by the list's menu and the
 * server's page: `run(server, kind)` starts an action, `dialogs` renders the
 * confirmation, test, edit and removal dialogs it may need.
 */
export function useServerActions({ onRemoved }: { onRemoved?: () => void } = {}) {
  const [pending, setPending] = useState<Pending | null>(null);
  const toggle = useServerToggle();
  const tester = useMutation({ mutationFn: (id: string) => testSavedServer(id), meta: { silent: true } });
  const { mutate: runToggle } = toggle;
  const { mutate: runTest } = tester;

  const run = useCallback(
    (server: Server, kind: ServerActionKind) => {
      // Ending maintenance or enabling only widens what the server is used for: no confirmation.
      if (kind === 'enable' || kind === 'maintenanceOff') {
        runToggle({ server, kind });
        return;
      }
      if (kind === 'test') runTest(server.id);
      setPending({ server, kind });
    },
    [runToggle, runTest],
  );

  const close = useCallback(() => setPending(null), []);
  const busyId = toggle.isPending ? toggle.variables?.server.id : undefined;

  const dialogs = (
    <>
      <ServerFormDialog open={pending?.kind === 'edit'} server={pending?.server} onClose={close} />
      <TestDialog server={pending?.kind === 'test' ? pending.server : null} tester={tester} onClose={close} />
      <ConfirmToggleDialog
        pending={pending?.kind === 'disable' || pending?.kind === 'maintenanceOn' ? (pending as ToggleRequest) : null}
        onClose={close}
      />
      <RemoveDialog server={pending?.kind === 'remove' ? pending.server : null} onClose={close} onRemoved={onRemoved} />
    </>
  );

  return { run, dialogs, busyId };
}

function TestDialog({
  server,
  tester,
  onClose,
}: {
  server: Server | null;
  tester: UseMutationResult<ConnectionTest, Error, string>;
  onClose: () => void;
}) {
  const { t, dict } = useI18n();
  return (
    <Dialog open={server !== null} onOpenChange={(open) => !open && onClose()}>
      {server ? (
        <DialogContent className="max-w-xl" closeLabel={t('common.close')} data-testid="server-test-dialog">
          <DialogHeader>
            <DialogTitle className="flex items-center gap-2">
              <PlugZap className="size-5 text-primary" aria-hidden />
              {t('servers.testDialog.title', { name: server.name })}
            </DialogTitle>
            <DialogDescription>{t('servers.testDialog.description')}</DialogDescription>
          </DialogHeader>
          <div aria-live="polite" aria-busy={tester.isPending}>
            {tester.isPending ? (
              <div className="flex items-center gap-3 rounded-lg border bg-muted/30 p-4 text-sm text-muted-foreground">
                <LoaderCircle className="size-4 animate-spin" aria-hidden />
                {t('servers.testDialog.running', { url: server.url })}
              </div>
            ) : tester.isError ? (
              <Alert tone="destructive">{describeError(tester.error, t, dict).title}</Alert>
            ) : tester.data ? (
              <ConnectionResult result={tester.data} />
            ) : null}
          </div>
          <DialogFooter>
            <Button
              variant="outline"
              onClick={() => tester.mutate(server.id)}
              disabled={tester.isPending}
              data-testid="test-again"
            >
              <RotateCw aria-hidden />
              {t('servers.testDialog.again')}
            </Button>
            <Button onClick={onClose}>{t('common.close')}</Button>
          </DialogFooter>
        </DialogContent>
      ) : null}
    </Dialog>
  );
}

interface ToggleRequest {
  server: Server;
  kind: 'disable' | 'maintenanceOn';
}

/** Taking capacity away (maintenance, disabling) is confirmed, and says what it means for new VMs. */
function ConfirmToggleDialog({ pending, onClose }: { pending: ToggleRequest | null; onClose: () => void }) {
  return (
    <AlertDialog open={pending !== null} onOpenChange={(open) => !open && onClose()}>
      {pending ? (
        <ConfirmToggleBody key={`${pending.server.id}:${pending.kind}`} pending={pending} onClose={onClose} />
      ) : null}
    </AlertDialog>
  );
}

function ConfirmToggleBody({ pending, onClose }: { pending: ToggleRequest; onClose: () => void }) {
  const { t, dict } = useI18n();
  const { server, kind } = pending;
  const mutation = useServerToggle({ silent: true });

  return (
    <ConfirmContent
      testId="server-toggle-dialog"
      action={kind}
      tone={kind === 'maintenanceOn' ? 'info' : 'warning'}
      icon={kind === 'maintenanceOn' ? <Wrench aria-hidden /> : <CircleOff aria-hidden />}
      title={t(`servers.toggle.${kind}.title`, { name: server.name })}
      description={t(`servers.toggle.${kind}.description`)}
      pending={mutation.isPending}
      confirmLabel={t(`servers.toggle.${kind}.confirm`)}
      workingLabel={t('servers.toggle.working')}
      confirmTestId="confirm-toggle"
      onConfirm={async () => {
        await mutation.mutateAsync({ server, kind });
        onClose();
      }}
      describeError={(err) => describeError(err, t, dict).title}
    />
  );
}

function RemoveDialog({
  server,
  onClose,
  onRemoved,
}: {
  server: Server | null;
  onClose: () => void;
  onRemoved?: () => void;
}) {
  return (
    <AlertDialog open={server !== null} onOpenChange={(open) => !open && onClose()}>
      {server ? <RemoveBody key={server.id} server={server} onClose={onClose} onRemoved={onRemoved} /> : null}
    </AlertDialog>
  );
}

/** Removal asks for the server's name to be typed: a slip of the mouse cannot forget a cluster. */
function RemoveBody({ server, onClose, onRemoved }: { server: Server; onClose: () => void; onRemoved?: () => void }) {
  const { t, dict } = useI18n();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: () => deleteServer(server.id),
    meta: { silent: true },
    onSuccess: () => {
      toast.success(t('servers.remove.done', { name: server.name }));
      queryClient.setQueryData<Server[]>(queryKeys.adminServers, (list) => list?.filter((s) => s.id !== server.id));
      // Not the removed server's own queries: refetching them would only answer 404 while we leave its page.
      void queryClient.invalidateQueries({ queryKey: queryKeys.adminServers });
      void queryClient.invalidateQueries({ queryKey: ['admin', 'audit'] });
    },
  });

  return (
    <ConfirmContent
      testId="remove-server-dialog"
      tone="destructive"
      icon={<Trash2 aria-hidden />}
      title={t('servers.remove.title', { name: server.name })}
      description={t('servers.remove.description')}
      detail={<p className="truncate font-mono text-xs text-muted-foreground">{server.url}</p>}
      typedName={{ name: server.name, label: t('servers.remove.typeName'), inputTestId: 'confirm-remove-input' }}
      pending={mutation.isPending}
      confirmLabel={t('servers.remove.confirm')}
      workingLabel={t('servers.toggle.working')}
      confirmVariant="destructive"
      confirmTestId="confirm-remove"
      onConfirm={async () => {
        await mutation.mutateAsync();
        onClose();
        onRemoved?.();
      }}
      describeError={(err) => describeError(err, t, dict).title}
    />
  );
}
