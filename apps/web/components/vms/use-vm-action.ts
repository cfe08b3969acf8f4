'use client';

import type { ResizeBody, Vm, VmOperation } from '@uni-manager/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { isApiError } from '@/lib/api/errors';
import { queryKeys } from '@/lib/api/query-keys';
import { deleteVm, renameVm, resizeVm, runPowerAction, shutdownVm, type ShutdownOptions } from '@/lib/api/vms';

export type VmActionRequest =
  | { kind: 'start' | 'stop' | 'reboot' | 'suspend' | 'resume' }
  | { kind: 'shutdown'; options?: ShutdownOptions }
  | { kind: 'resize'; body: ResizeBody }
  | { kind: 'rename'; name: string }
  | { kind: 'delete' };

function send(vm: Vm, request: VmActionRequest): Promise<VmOperation> {
  switch (request.kind) {
    case 'shutdown':
      return shutdownVm(vm.id, request.options);
    case 'resize':
      return resizeVm(vm.id, request.body);
    case 'rename':
      return renameVm(vm.id, request.name);
    case 'delete':
      return deleteVm(vm.id);
    default:
      return runPowerAction(vm.id, request.kind);
  }
}

/**
 * Queues one operation. The answer is the operation itself: it goes into the
 * cached VM at once, so buttons lock and polling quickens before the next
 * fetch confirms it.
 */
export function useVmAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ vm, request }: { vm: Vm; request: VmActionRequest }) => send(vm, request),
    // Every caller shows the error in its own place (a dialog, a toast naming the VM).
    meta: { silent: true },
    onSuccess: (operation, { vm }) => {
      queryClient.setQueryData<Vm>(queryKeys.vm(vm.id), (cached) =>
        cached ? { ...cached, activeOperation: operation } : cached,
      );
      void queryClient.invalidateQueries({ queryKey: queryKeys.vms });
      void queryClient.invalidateQueries({ queryKey: ['admin', 'audit'] });
      // Starting, stopping or resizing changes how fast the balance goes.
      void queryClient.invalidateQueries({ queryKey: queryKeys.credits });
    },
    onError: (err) => {
      // VM_BUSY or a state the page did not know yet: what is shown is stale.
      void queryClient.invalidateQueries({ queryKey: queryKeys.vms });
      if (isApiError(err) && err.code === 'INSUFFICIENT_CREDITS')
        void queryClient.invalidateQueries({ queryKey: queryKeys.credits });
    },
  });
}
