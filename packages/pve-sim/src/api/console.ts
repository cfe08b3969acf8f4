/**
 * vncproxy and vncwebsocket (Qemu.pm:2990-3150, 3270-3330). vncproxy answers with the port, the
 * ticket `<password>:PVEVNC:…`, the password and the CA certificate; vncwebsocket checks the
 * ticket against user, path and port, then the websocket layer attaches the RFB server.
 */
import { randomInt } from 'node:crypto';
import { PveError, fail } from '../http/errors.js';
import type { ApiRequest } from '../http/router.js';
import { int, optBool, str, std } from '../params/builders.js';
import { authid, loadVm, startTask } from './common.js';
import type { Route, SimContext } from './context.js';
import { nodeOnline } from './views.js';

/** generate_vnc_password: 8 characters from '!' to '`' (Ticket.pm). */
export function generateVncPassword(): string {
  let out = '';
  for (let i = 0; i < 8; i++) out += String.fromCharCode(randomInt(0x21, 0x61));
  return out;
}

function vncproxy(req: ApiRequest, ctx: SimContext) {
  const vm = loadVm(ctx, req);
  const user = authid(req);
  let port: number;
  try {
    port = ctx.consoles.freePort();
  } catch (err) {
    throw fail((err as Error).message);
  }
  const password = generateVncPassword();
  const ticket = `${password}:${ctx.tickets.assembleVncTicket(user, `/vms/${vm.vmid}`, port)}`;
  const session = ctx.consoles.open({ port, vmid: vm.vmid, node: vm.node, authid: user, password });
  const upid = startTask(ctx, req, {
    type: 'vncproxy',
    id: vm.vmid,
    failureMessage: 'Failed to run vncproxy.',
    run: async (task) => {
      try {
        await session.connected;
      } catch (err) {
        throw fail((err as Error).message);
      }
      const node = ctx.model.node(vm.node);
      const current = ctx.model.vms.get(vm.vmid);
      if (!node || !nodeOnline(node, ctx.faults) || !current || current.runtime.status !== 'running') {
        session.close('Failed to run vncproxy.');
        throw fail('Failed to run vncproxy.');
      }
      task.failpoint();
      await session.closed;
    },
  });
  session.upid = upid;
  // vncproxy cancelled by stopping its task: the port goes away with it.
  void ctx.tasks.wait(upid).then(() => session.close('vncproxy task ended'));
  return { user, ticket, port, upid, cert: ctx.tls.caPem, password };
}

/** The HTTP half of vncwebsocket; the upgrade itself happens in vnc/websocket.ts. */
function vncwebsocket(req: ApiRequest, ctx: SimContext) {
  const vmid = req.params.vmid as number;
  const port = req.params.port as number;
  const ok = ctx.tickets.verifyVncTicket(req.params.vncticket as string, authid(req), `/vms/${vmid}`, port);
  if (!ok) throw new PveError(401, 'permission denied - invalid PVEVNC ticket\n');
  loadVm(ctx, req);
  return { port: String(port) };
}

const base = { node: std.node, vmid: std.vmid };

export const consoleRoutes: Route[] = [
  {
    method: 'POST',
    path: '/nodes/{node}/qemu/{vmid}/vncproxy',
    name: 'vncproxy',
    params: {
      additionalProperties: false,
      properties: { ...base, websocket: optBool(), 'generate-password': optBool({ default: 0 }) },
    },
    permissions: { check: ['perm', '/vms/{vmid}', ['VM.Console']] },
    handler: vncproxy,
  },
  {
    method: 'GET',
    path: '/nodes/{node}/qemu/{vmid}/vncwebsocket',
    name: 'vncwebsocket',
    params: {
      additionalProperties: false,
      properties: { ...base, port: int({ minimum: 5900, maximum: 5999 }), vncticket: str({ maxLength: 512 }) },
    },
    permissions: { check: ['perm', '/vms/{vmid}', ['VM.Console']] },
    handler: vncwebsocket,
  },
];
