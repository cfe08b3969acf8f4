/**
 * Errors as Proxmox raises them. Messages keep Perl's trailing newline where Proxmox has one
 * (`die "...\n"`), because the JSON body carries the message verbatim (BEHAVIOUR.md, Errors).
 */
export class PveError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: Record<string, string>,
  ) {
    super(message);
    this.name = 'PveError';
  }
}

/**
 * A failure before the API handler runs (authentication, CSRF): Proxmox answers with an empty
 * body, the message only in the reason phrase, after the unauthorized-call delay.
 */
export class AuthError extends Error {
  readonly status = 401;
  constructor(message: string) {
    super(message);
    this.name = 'AuthError';
  }
}

/** `die "msg\n"` inside a handler: HTTP 500 with the message. */
export function fail(message: string): PveError {
  return new PveError(500, message.endsWith('\n') ? message : `${message}\n`);
}

/** raise_param_exc: 400 "Parameter verification failed." with per-parameter texts. */
export function paramError(errors: Record<string, string>): PveError {
  return new PveError(400, 'Parameter verification failed.\n', errors);
}

/** raise_perm_exc: 403 "Permission check failed (path, Priv)". */
export function permError(what?: string): PveError {
  return new PveError(403, what ? `Permission check failed (${what})\n` : 'Permission check failed\n');
}

/** Config file of a VM that does not exist on the node the request went to ([GC] AbstractConfig.pm:57). */
export function noConfig(node: string, vmid: number): PveError {
  return fail(`Configuration file 'nodes/${node}/qemu-server/${vmid}.conf' does not exist`);
}
