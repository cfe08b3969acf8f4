'use client';

import type { Server } from '@uni-manager/contracts';
import { useMutation, useQueryClient, type UseMutationResult } from '@tanstack/react-query';
import { CircleOff, LoaderCircle, PlugZap, RotateCw, Trash2, Wrench } from 'lucide-react';
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
import { queryKeys } from '@/lib/api/query-keys';
import { deleteServer, testSavedServer } from '@/lib/api/servers';
import { describeError } from '@/lib/errors/describe';
import { useI18n } from '@/lib/i18n/i18n-provider';
import { cn } from '@/lib/utils';
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

function DialogIcon({ tone, children }: { tone: 'warning' | 'destructive' | 'info'; children: ReactNode }) {
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
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    setError(null);
    try {
      await mutation.mutateAsync({ server, kind });
      onClose();
    } catch (err) {
      setError(describeError(err, t, dict).title);
    }
  }

  return (
    <AlertDialogContent data-testid="server-toggle-dialog" data-action={kind}>
      <AlertDialogHeader className="flex-row items-start gap-4">
        <DialogIcon tone={kind === 'maintenanceOn' ? 'info' : 'warning'}>
          {kind === 'maintenanceOn' ? <Wrench aria-hidden /> : <CircleOff aria-hidden />}
        </DialogIcon>
        <div className="grid gap-1.5">
          <AlertDialogTitle>{t(`servers.toggle.${kind}.title`, { name: server.name })}</AlertDialogTitle>
          <AlertDialogDescription>{t(`servers.toggle.${kind}.description`)}</AlertDialogDescription>
        </div>
      </AlertDialogHeader>
      {error ? <Alert tone="destructive">{error}</Alert> : null}
      <AlertDialogFooter>
        <AlertDialogCancel asChild>
          <Button variant="outline" disabled={mutation.isPending}>
            {t('common.cancel')}
          </Button>
        </AlertDialogCancel>
        <Button pending={mutation.isPending} onClick={() => void confirm()} data-testid="confirm-toggle">
          {mutation.isPending ? t('servers.toggle.working') : t(`servers.toggle.${kind}.confirm`)}
        </Button>
      </AlertDialogFooter>
    </AlertDialogContent>
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
  const [typed, setTyped] = useState('');
  const [error, setError] = useState<string | null>(null);
  const matches = typed.trim() === server.name;
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

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!matches) return;
    setError(null);
    try {
      await mutation.mutateAsync();
      onClose();
      onRemoved?.();
    } catch (err) {
      setError(describeError(err, t, dict).title);
    }
  }

  return (
    <AlertDialogContent data-testid="remove-server-dialog">
      <form noValidate onSubmit={onSubmit} className="grid gap-5">
        <AlertDialogHeader className="flex-row items-start gap-4">
          <DialogIcon tone="destructive">
            <Trash2 aria-hidden />
          </DialogIcon>
          <div className="grid gap-1.5">
            <AlertDialogTitle>{t('servers.remove.title', { name: server.name })}</AlertDialogTitle>
            <AlertDialogDescription>{t('servers.remove.description')}</AlertDialogDescription>
            <p className="truncate font-mono text-xs text-muted-foreground">{server.url}</p>
          </div>
        </AlertDialogHeader>
        <FormField
          label={
            <>
              {t('servers.remove.typeName')}{' '}
              <span className="select-all rounded bg-muted px-1.5 py-0.5 font-mono text-[0.8125rem]">
                {server.name}
              </span>
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
              data-testid="confirm-remove-input"
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
            data-testid="confirm-remove"
          >
            {mutation.isPending ? t('servers.toggle.working') : t('servers.remove.confirm')}
          </Button>
        </AlertDialogFooter>
      </form>
    </AlertDialogContent>
  );
}
