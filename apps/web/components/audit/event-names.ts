'use client';

import type { AuditEvent } from '@uni-manager/contracts';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useI18n } from '@/lib/i18n/i18n-provider';

export function shortId(id: string): string {
  return id.length > 12 ? `${id.slice(0, 8)}…` : id;
}

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== '' ? value : undefined;

function nameIn(snapshot: unknown): string | undefined {
  if (typeof snapshot !== 'object' || snapshot === null) return undefined;
  const s = snapshot as Record<string, unknown>;
  return text(s.name) ?? text(s.email);
}

/**
 * The target's name or email as the event itself recorded it: VM events carry
 * `name`, user events `email`, changes of servers and templates `before`/`after`.
 */
export function recordedTargetName(event: AuditEvent): string | undefined {
  const { details } = event;
  return (
    text(details.name) ??
    text(details.email) ??
    nameIn(details.after) ??
    nameIn(details.before) ??
    (event.targetType === 'server' ? text(details.server) : undefined) ??
    text(details.vm)
  );
}

/** Names of users, VMs, servers and templates the pages already fetched, by id. */
function namesInCache(client: QueryClient): Map<string, string> {
  const names = new Map<string, string>();
  const visit = (value: unknown, depth: number) => {
    if (depth > 3 || typeof value !== 'object' || value === null) return;
    if (Array.isArray(value)) {
      for (const item of value) visit(item, depth + 1);
      return;
    }
    const record = value as Record<string, unknown>;
    const id = text(record.id);
    const name = text(record.email) ?? text(record.name);
    if (id && name && !names.has(id)) names.set(id, name);
    for (const key of ['items', 'user', 'vm', 'server', 'template']) visit(record[key], depth + 1);
  };
  for (const prefix of [['admin'], ['vms'], ['templates']])
    for (const [, data] of client.getQueriesData({ queryKey: prefix })) visit(data, 0);
  return names;
}

export interface EventNames {
  actor(event: AuditEvent): string | undefined;
  target(event: AuditEvent): string | undefined;
}

/**
 * Who did it and to what, in words: what the event recorded first, then what
 * the current data knows. Read once per render of the list, not subscribed:
 * a name that arrives later shows on the next refresh of the log.
 */
export function useEventNames(): EventNames {
  const client = useQueryClient();
  const cached = namesInCache(client);
  return {
    actor: (event) => event.actorEmail ?? (event.actorId ? cached.get(event.actorId) : undefined),
    target: (event) =>
      recordedTargetName(event) ??
      // Registering, signing in: the user acted on their own account.
      (event.targetType === 'user' && event.targetId === event.actorId ? (event.actorEmail ?? undefined) : undefined) ??
      (event.targetId ? cached.get(event.targetId) : undefined),
  };
}

/** "VM operation requested: Start", from the operation the event recorded. */
export function useActionLabel(): (event: Pick<AuditEvent, 'action' | 'details'>) => string {
  const { t, dict } = useI18n();
  return ({ action, details }) => {
    const kind = details.kind;
    const operation =
      typeof kind === 'string' && kind in dict.vms.operationKinds
        ? dict.vms.operationKinds[kind as keyof typeof dict.vms.operationKinds]
        : undefined;
    if (operation && action === 'vm.operation_requested') return t('audit.operationRequested', { operation });
    if (operation && action === 'vm.operation_failed') return t('audit.operationFailed', { operation });
    return dict.auditActions[action];
  };
}
