/**
 * What went wrong talking to Proxmox, classified so callers can decide:
 * retry (unavailable, timeout), tell the user (locked, validation), or alert
 * an admin (authentication, permission, tls).
 */
export type ProxmoxErrorKind =
  | 'AUTHENTICATION' // 401: wrong or revoked token
  | 'PERMISSION' // 403: the token lacks a privilege
  | 'NOT_FOUND' // the VM, node or task does not exist
  | 'LOCKED' // "VM is locked (clone)"
  | 'VALIDATION' // 400 "Parameter verification failed." with field errors
  | 'CONFLICT' // the state forbids it: "VM 100 not running", "already exists"
  | 'NOT_IMPLEMENTED' // 501
  | 'SERVER' // any other 5xx with a message
  | 'UNAVAILABLE' // refused, reset, 502/503/504: worth retrying
  | 'TIMEOUT' // no answer, or a task past its deadline
  | 'TLS'; // the certificate does not match the CA or the pinned fingerprint

export class ProxmoxError extends Error {
  constructor(
    public readonly kind: ProxmoxErrorKind,
    message: string,
    public readonly details: {
      status?: number;
      fields?: Record<string, string>;
      method?: string;
      path?: string;
      lock?: string;
    } = {},
  ) {
    super(message);
    this.name = 'ProxmoxError';
  }

  get transient(): boolean {
    return this.kind === 'UNAVAILABLE' || this.kind === 'TIMEOUT';
  }
}

export const isProxmoxError = (e: unknown): e is ProxmoxError => e instanceof ProxmoxError;

/** Classifies a Proxmox error response by status and message text. */
export function classify(status: number, message: string, fields?: Record<string, string>): ProxmoxErrorKind {
  if (status === 401) return 'AUTHENTICATION';
  if (status === 403) return 'PERMISSION';
  if (status === 400)
    return fields && Object.values(fields).some((m) => /already exists/.test(m)) ? 'CONFLICT' : 'VALIDATION';
  if (status === 501) return 'NOT_IMPLEMENTED';
  if (status === 502 || status === 503 || status === 504 || status === 595 || status === 596) return 'UNAVAILABLE';
  if (/is locked \(/.test(message)) return 'LOCKED';
  if (/does not exist|no such (vm|node|task)|not found/i.test(message)) return 'NOT_FOUND';
  if (/not running|already running|already exists|is running|is paused|already used|is a template/i.test(message))
    return 'CONFLICT';
  return 'SERVER';
}

/** The lock name in "VM is locked (clone)", for messages and decisions. */
export function lockOf(message: string): string | undefined {
  return /is locked \(([a-z-]+)\)/.exec(message)?.[1];
}
