/** /nodes/{node}/tasks…: listing tasks, their status and their log, and stopping them. */
import { hasPrivs, requirePrivs } from '../auth/permissions.js';
import { paramError } from '../http/errors.js';
import type { ApiRequest } from '../http/router.js';
import { optBool, optEnum, optInt, optStr, opt, std } from '../params/builders.js';
import { splitList } from '../params/formats.js';
import type { TaskRecord } from '../tasks/task-manager.js';
import { decodeUpid } from '../tasks/upid.js';
import type { Route, SimContext } from './context.js';

/**
 * A token's tasks carry `user@realm!token` in the UPID; the task API shows them as `user` plus
 * `tokenid` ([MGR] API2/Tasks.pm convert_token_task).
 */
function taskUser(t: { user: string }): { user: string; tokenid?: string } {
  const i = t.user.indexOf('!');
  return i < 0 ? { user: t.user } : { user: t.user.slice(0, i), tokenid: t.user.slice(i + 1) };
}

/** A task as task lists show it; finished ones carry their exit status as `status`. */
export function taskListEntry(t: TaskRecord): Record<string, unknown> {
  const e: Record<string, unknown> = {
    upid: t.upid,
    node: t.node,
    pid: t.pid,
    pstart: t.pstart,
    starttime: t.starttime,
    type: t.type,
    id: t.id,
    ...taskUser(t),
  };
  if (t.status === 'stopped') {
    e.endtime = t.endtime;
    e.status = t.exitstatus;
  }
  return e;
}

/** upid_normalize_status_type: anything but OK and WARNINGS counts as an error (even RUNNING). */
function statusType(status: string | undefined): string {
  if (!status) return 'unknown';
  if (status === 'OK') return 'ok';
  if (/^WARNINGS: \d+$/.test(status)) return 'warning';
  return 'error';
}

/** A token sees its own tasks; a user sees its own and its tokens'; others need `priv` on the node. */
function requireTaskAccess(req: ApiRequest, task: { user: string; node: string }, priv: string): void {
  const identity = req.identity;
  if (!identity || ownsTask(identity.authid, task.user)) return;
  requirePrivs(identity, `/nodes/${task.node}`, [priv]);
}

function ownsTask(authid: string, taskUser: string): boolean {
  return authid === taskUser || (!authid.includes('!') && taskUser.startsWith(`${authid}!`));
}

function findTask(req: ApiRequest, ctx: SimContext): TaskRecord {
  const upid = req.params.upid as string;
  if (!decodeUpid(upid)) throw paramError({ upid: 'unable to parse worker upid' });
  const task = ctx.tasks.get(upid);
  // The task log lives on the node that ran it; asked elsewhere, there is no such file.
  if (!task || task.node !== req.params.node) throw paramError({ upid: 'no such task' });
  return task;
}

function listTasks(req: ApiRequest, ctx: SimContext) {
  const p = req.params;
  const source = (p.source as string | undefined) ?? 'archive';
  // The status filter as Tasks.pm builds it: `errors` drops only the OK ones.
  let statusFilter = new Set(['ok', 'warning', 'error', 'unknown']);
  if (p.statusfilter !== undefined && !p.errors) {
    statusFilter = new Set(splitList(p.statusfilter as string).map((s) => s.toLowerCase()));
  } else if (p.errors) {
    statusFilter.delete('ok');
  }
  const identity = req.identity;
  const canAudit = !!identity && hasPrivs(identity, ['Sys.Audit']);
  const matches = ctx.tasks.list().filter((t) => {
    if (t.node !== p.node) return false;
    if (t.status === 'running' ? source === 'archive' : source === 'active') return false;
    if (p.userfilter && !t.user.toLowerCase().includes(String(p.userfilter).toLowerCase())) return false;
    if (!canAudit && !ownsTask(identity?.authid ?? '', t.user)) return false;
    if (p.typefilter && t.type !== p.typefilter) return false;
    if (p.vmid !== undefined && t.id !== String(p.vmid)) return false;
    if (p.since !== undefined && t.starttime < (p.since as number)) return false;
    if (p.until !== undefined && t.starttime > (p.until as number)) return false;
    return statusFilter.has(statusType(t.status === 'running' ? 'RUNNING' : t.exitstatus));
  });
  const start = (p.start as number | undefined) ?? 0;
  const limit = (p.limit as number | undefined) ?? 50;
  req.setTotal(matches.length);
  return matches.slice(start, start + limit).map((t) => ({
    ...taskListEntry(t),
    // Active tasks are listed as RUNNING: the task index has no status for them yet.
    ...(t.status === 'running' ? { status: 'RUNNING' } : {}),
  }));
}

function taskStatus(req: ApiRequest, ctx: SimContext) {
  const t = findTask(req, ctx);
  requireTaskAccess(req, t, 'Sys.Audit');
  const out: Record<string, unknown> = {
    upid: t.upid,
    node: t.node,
    pid: t.pid,
    pstart: t.pstart,
    starttime: t.starttime,
    type: t.type,
    id: t.id,
    ...taskUser(t),
    status: t.status,
  };
  if (t.status === 'stopped') out.exitstatus = t.exitstatus;
  return out;
}

function taskLog(req: ApiRequest, ctx: SimContext) {
  const t = findTask(req, ctx);
  requireTaskAccess(req, t, 'Sys.Audit');
  const start = (req.params.start as number | undefined) ?? 0;
  const limit = (req.params.limit as number | undefined) ?? 50;
  const lines = t.log.length > 0 ? t.log : ['no content'];
  req.setTotal(lines.length);
  return lines.slice(start, start + limit).map((text, i) => ({ n: start + i + 1, t: text }));
}

const nodeUpid = { node: std.node, upid: std.upid };

export const taskRoutes: Route[] = [
  {
    method: 'GET',
    path: '/nodes/{node}/tasks',
    name: 'node_tasks',
    proxyToNode: true,
    params: {
      additionalProperties: false,
      properties: {
        node: std.node,
        start: optInt({ minimum: 0, default: 0 }),
        limit: optInt({ minimum: 0, default: 50 }),
        userfilter: optStr(),
        typefilter: optStr(),
        vmid: opt(std.vmid),
        errors: optBool({ default: 0 }),
        since: optInt(),
        until: optInt(),
        statusfilter: optStr({ format: 'pve-task-status-type-list' }),
        source: optEnum(['archive', 'active', 'all'], { default: 'archive' }),
      },
    },
    permissions: { user: 'all' },
    handler: listTasks,
  },
  {
    method: 'GET',
    path: '/nodes/{node}/tasks/{upid}',
    name: 'upid_index',
    params: { additionalProperties: false, properties: nodeUpid },
    permissions: { user: 'all' },
    handler: (req, ctx) => {
      findTask(req, ctx);
      return [{ name: 'log' }, { name: 'status' }];
    },
  },
  {
    method: 'DELETE',
    path: '/nodes/{node}/tasks/{upid}',
    name: 'stop_task',
    proxyToNode: true,
    params: { additionalProperties: false, properties: nodeUpid },
    permissions: { user: 'all' },
    handler: (req, ctx) => {
      const t = findTask(req, ctx);
      requireTaskAccess(req, t, 'Sys.Modify');
      ctx.tasks.stop(t.upid);
      return null;
    },
  },
  {
    method: 'GET',
    path: '/nodes/{node}/tasks/{upid}/status',
    name: 'read_task_status',
    proxyToNode: true,
    params: { additionalProperties: false, properties: nodeUpid },
    permissions: { user: 'all' },
    handler: taskStatus,
  },
  {
    method: 'GET',
    path: '/nodes/{node}/tasks/{upid}/log',
    name: 'read_task_log',
    proxyToNode: true,
    params: {
      additionalProperties: false,
      properties: {
        ...nodeUpid,
        start: optInt({ minimum: 0, default: 0 }),
        limit: optInt({ minimum: 0, default: 50 }),
        download: optBool(),
      },
    },
    permissions: { user: 'all' },
    handler: taskLog,
  },
];
