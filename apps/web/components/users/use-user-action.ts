'use client';

import type { AdminUser } from '@uni-manager/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { runUserAction, type UserAction } from '@/lib/api/admin-users';
import { queryKeys } from '@/lib/api/query-keys';

export function useUserAction() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ user, action }: { user: AdminUser; action: UserAction }) => runUserAction(user.id, action),
    // The dialog shows the error itself (LAST_ADMIN, SELF_ACTION…), next to what caused it.
    meta: { silent: true },
    onSuccess: (updated) => {
      queryClient.setQueryData(queryKeys.adminUser(updated.id), updated);
      // The list, the user's page and the audit log all changed.
      void queryClient.invalidateQueries({ queryKey: queryKeys.admin });
    },
  });
}
