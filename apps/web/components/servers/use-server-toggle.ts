'use client';

import type { Server, UpdateServerBody } from '@uni-manager/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { toast } from 'sonner';
import { queryKeys } from '@/lib/api/query-keys';
import { updateServer } from '@/lib/api/servers';
import { useT } from '@/lib/i18n/i18n-provider';

export type ServerToggle = 'enable' | 'disable' | 'maintenanceOn' | 'maintenanceOff';

const bodyOf: Record<ServerToggle, UpdateServerBody> = {
  enable: { enabled: true },
  disable: { enabled: false },
  maintenanceOn: { maintenance: true },
  maintenanceOff: { maintenance: false },
};

/** Enabling, disabling and maintenance: one PATCH each, confirmed by a toast naming the server. */
export function useServerToggle({ silent = false }: { silent?: boolean } = {}) {
  const t = useT();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ server, kind }: { server: Server; kind: ServerToggle }) => updateServer(server.id, bodyOf[kind]),
    // A dialog that asked for confirmation shows the error itself; a direct switch gets a toast.
    meta: { silent },
    onSuccess: (updated, { kind }) => {
      toast.success(t(`servers.toggle.${kind}.done`, { name: updated.name }));
      queryClient.setQueryData(queryKeys.adminServer(updated.id), updated);
      queryClient.setQueryData<Server[]>(queryKeys.adminServers, (list) =>
        list?.map((s) => (s.id === updated.id ? updated : s)),
      );
      void queryClient.invalidateQueries({ queryKey: queryKeys.admin });
    },
  });
}
