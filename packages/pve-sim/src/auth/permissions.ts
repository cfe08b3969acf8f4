/**
 * Declarative permission checks, evaluated as RPCEnvironment's exec_api2_perm_check does
 * ([AC] RPCEnvironment.pm:459-566): `perm` with a path template, `and`, `or`, `any`, and the
 * 403 texts "Permission check failed (/vms/100, VM.PowerMgmt)".
 */
import { permError } from '../http/errors.js';
import type { Identity } from './identities.js';

export type CheckExpr =
  | readonly ['perm', string, readonly string[], { any?: boolean; requireParam?: string }?]
  | readonly ['and', ...CheckExpr[]]
  | readonly ['or', ...CheckExpr[]];

export type Permission =
  /** Anyone, even unauthenticated (login). */
  | { user: 'world' }
  /** Any authenticated user; the handler may filter what it shows. */
  | { user: 'all' }
  | { check: CheckExpr };

/** Whether `identity` holds `privs` (all of them, or any with `any`) on `path`. */
export function hasPrivs(identity: Identity, privs: readonly string[], any = false): boolean {
  return any ? privs.some((p) => identity.privileges.has(p)) : privs.every((p) => identity.privileges.has(p));
}

/** Throws the 403 Proxmox would give for `privs` on `path`. */
export function requirePrivs(identity: Identity, path: string, privs: readonly string[], any = false): void {
  if (hasPrivs(identity, privs, any)) return;
  if (any) throw permError(`${path}, ${privs.join('|')}`);
  const missing = privs.find((p) => !identity.privileges.has(p)) as string;
  throw permError(`${path}, ${missing}`);
}

export function checkPermission(
  perm: Permission,
  identity: Identity | undefined,
  params: Readonly<Record<string, unknown>>,
): void {
  if ('user' in perm && perm.user === 'world') return;
  if (!identity) throw permError('user != null');
  if ('user' in perm) return;
  evaluate(perm.check, identity, params, false);
}

function evaluate(
  check: CheckExpr,
  identity: Identity,
  params: Readonly<Record<string, unknown>>,
  noerr: boolean,
): boolean {
  const [test, ...rest] = check;
  if (test === 'and') {
    for (const sub of rest as CheckExpr[]) evaluate(sub, identity, params, noerr);
    return true;
  }
  if (test === 'or') {
    for (const sub of rest as CheckExpr[]) if (evaluate(sub, identity, params, true)) return true;
    if (noerr) return false;
    throw permError();
  }
  const [template, privs, opts] = rest as [string, readonly string[], { any?: boolean; requireParam?: string }?];
  if (opts?.requireParam && params[opts.requireParam] === undefined) {
    if (noerr) return false;
    throw permError();
  }
  const path = normalizePath(template.replace(/\{(\w+)\}/g, (_, k: string) => String(params[k] ?? '')));
  if (hasPrivs(identity, privs, opts?.any)) return true;
  if (noerr) return false;
  requirePrivs(identity, path, privs, opts?.any);
  return false;
}

/** normalize_path: one leading slash, no doubled or trailing slashes. */
export function normalizePath(path: string): string {
  const p = `/${path}`.replace(/\/+/g, '/').replace(/\/$/, '');
  return p === '' ? '/' : p;
}
