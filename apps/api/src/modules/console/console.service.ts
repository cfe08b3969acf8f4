import { createHash, randomBytes } from 'node:crypto';
import { API_PREFIX, paths, type ConsoleTicket } from '@uni-manager/contracts';
import { and, eq, gt, isNull, lt } from 'drizzle-orm';
import type { WebSocket } from 'ws';
import type { Db } from '../../db/client.js';
import { consoleTickets, users, type VmRow } from '../../db/schema/index.js';
import type { Clock } from '../../lib/clock.js';
import type { Actor, RequestMeta } from '../../lib/context.js';
import { AppError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import { ProxmoxError } from '../../integrations/proxmox/errors.js';
import { appendAudit } from '../audit/audit.repo.js';
import type { ServersService } from '../servers/servers.service.js';
import { getAccessibleVm } from '../vms/vms.access.js';
import { authenticateToServer, ByteReader, RfbError } from './rfb.js';

export interface ConsoleServiceDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  servers: Pick<ServersService, 'clientFor'>;
  /** How long a ticket may wait for its websocket (CONSOLE_TICKET_TTL). */
  ticketTtlSeconds: number;
  /** Per step towards Proxmox: vncproxy, the websocket, the VNC handshake. */
  proxmoxTimeoutMs: number;
}

/** A console reached Proxmox and passed its VNC authentication; it stands before ClientInit. */
export interface ConsoleUpstream {
  socket: WebSocket;
  /** Still buffering: whatever Proxmox sends before the pipe is joined is kept here. */
  reader: ByteReader;
  serverId: string;
  node: string;
  vmid: number;
}

/** Only the hash is stored: a leaked table opens no console. */
const hashTicket = (ticket: string) => createHash('sha256').update(ticket, 'utf8').digest('hex');

type ConsoleTarget = VmRow & { serverId: string; node: string; vmid: number };

function requireConsole(vm: VmRow): ConsoleTarget {
  if (!vm.serverId || !vm.node || vm.vmid === null)
    throw new AppError('INVALID_STATE_TRANSITION', 'The VM has no machine on Proxmox yet, so it has no console', {
      status: vm.status,
    });
  if (vm.status !== 'active')
    throw new AppError('INVALID_STATE_TRANSITION', `The console needs an active VM; this one is ${vm.status}`, {
      status: vm.status,
    });
  if (vm.powerState !== 'running')
    throw new AppError('INVALID_STATE_TRANSITION', 'VM is not running: start it to open its console', {
      powerState: vm.powerState,
    });
  return vm as ConsoleTarget;
}

export function createConsoleService(deps: ConsoleServiceDeps) {
  const { db, clock } = deps;

  return {
    /**
     * A one-time ticket for the console websocket. Browsers cannot put a
     * bearer token on a websocket, so this short-lived secret in the URL
     * stands in for it; the audit entry is written with it.
     */
    async issueTicket(actor: Actor, vmId: string, meta: RequestMeta): Promise<ConsoleTicket> {
      const ticket = randomBytes(32).toString('base64url');
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + deps.ticketTtlSeconds * 1000);
      await db.transaction(async (tx) => {
        const vm = requireConsole(await getAccessibleVm(tx, actor, vmId));
        // The user's own spent tickets go here, through the user_id index: the table stays small without a job.
        await tx
          .delete(consoleTickets)
          .where(and(eq(consoleTickets.userId, actor.userId), lt(consoleTickets.expiresAt, now)));
        await tx.insert(consoleTickets).values({
          tokenHash: hashTicket(ticket),
          vmId: vm.id,
          userId: actor.userId,
          expiresAt,
          createdAt: now,
        });
        await appendAudit(
          tx,
          {
            action: 'vm.console_opened',
            actorId: actor.userId,
            actorEmail: actor.email,
            targetType: 'vm',
            targetId: vm.id,
            details: {
              name: vm.name,
              ownerId: vm.ownerId,
              serverId: vm.serverId,
              node: vm.node,
              vmid: vm.vmid,
              expiresAt: expiresAt.toISOString(),
            },
            ...meta,
          },
          now,
        );
      });
      return {
        ticket,
        expiresAt: expiresAt.toISOString(),
        websocketPath: `${API_PREFIX}${paths.vmConsoleSocket.replace(':id', vmId)}`,
      };
    },

    /**
     * Spends a ticket (once, atomically: two connections racing with one
     * ticket get one console) and checks again that its user may still open
     * this VM's console: suspended, lost the VM, or the VM stopped since.
     */
    async redeemTicket(vmId: string, ticket: string): Promise<{ vm: ConsoleTarget; userId: string }> {
      const now = clock.now();
      const [spent] = await db
        .update(consoleTickets)
        .set({ usedAt: now })
        .where(
          and(
            eq(consoleTickets.tokenHash, hashTicket(ticket)),
            eq(consoleTickets.vmId, vmId),
            isNull(consoleTickets.usedAt),
            gt(consoleTickets.expiresAt, now),
          ),
        )
        .returning({ userId: consoleTickets.userId });
      if (!spent)
        throw new AppError(
          'CONSOLE_TICKET_INVALID',
          'The console ticket is invalid, expired or already used: open the console again',
        );
      const [user] = await db
        .select({ id: users.id, role: users.role, state: users.state })
        .from(users)
        .where(eq(users.id, spent.userId))
        .limit(1);
      if (!user || user.state !== 'active')
        throw new AppError(
          user?.state === 'banned' ? 'ACCOUNT_BANNED' : 'ACCOUNT_SUSPENDED',
          'This account can no longer open consoles',
        );
      const vm = requireConsole(await getAccessibleVm(db, { userId: user.id, role: user.role }, vmId));
      return { vm, userId: user.id };
    },

    /**
     * Asks Proxmox for a VNC session, opens its websocket with the server's
     * own token and TLS trust, and logs in with the session's password. None
     * of these secrets leaves this function but as bytes to Proxmox.
     */
    async openUpstream(vm: ConsoleTarget): Promise<ConsoleUpstream> {
      const { client } = await deps.servers.clientFor(vm.serverId);
      let socket: WebSocket | undefined;
      let timedOut = false;
      try {
        const proxy = await client.vncProxy(vm.node, vm.vmid);
        socket = await client.vncWebSocket(vm.node, vm.vmid, proxy);
        const ws = socket;
        const reader = new ByteReader(ws);
        const timer = setTimeout(() => {
          timedOut = true;
          ws.terminate();
        }, deps.proxmoxTimeoutMs);
        try {
          // Real Proxmox gives no separate password: QEMU's VNC password is the
          // ticket, of which VNC Authentication uses the first 8 characters.
          await authenticateToServer(reader, (b) => ws.send(b), proxy.password ?? proxy.ticket);
        } finally {
          clearTimeout(timer);
        }
        return { socket: ws, reader, serverId: vm.serverId, node: vm.node, vmid: vm.vmid };
      } catch (e) {
        socket?.terminate();
        // Proxmox hands out a VNC session for a stopped VM and only its task
        // fails: ask, so the user reads "not running" rather than "unavailable".
        const power = await client.vmStatus(vm.node, vm.vmid).then(
          (s) => s.status,
          () => undefined,
        );
        if (power !== undefined && power !== 'running')
          throw new AppError(
            'INVALID_STATE_TRANSITION',
            `VM is not running (Proxmox says ${power}): start it to open its console`,
            {
              powerState: power,
            },
          );
        if (timedOut)
          throw new AppError(
            'PROXMOX_UNAVAILABLE',
            `Proxmox's VNC server did not complete the handshake within ${deps.proxmoxTimeoutMs} ms`,
          );
        if (e instanceof ProxmoxError) {
          if (e.kind === 'CONFLICT')
            throw new AppError('INVALID_STATE_TRANSITION', `VM is not running on Proxmox: ${e.message}`, {
              kind: e.kind,
            });
          throw new AppError('PROXMOX_UNAVAILABLE', `Proxmox could not open the console: ${e.message}`, {
            kind: e.kind,
          });
        }
        if (e instanceof RfbError) throw new AppError('PROXMOX_UNAVAILABLE', `Proxmox's console failed: ${e.message}`);
        throw e;
      } finally {
        // The websocket has its own connection; the client's pool is not needed any more.
        await client.close();
      }
    },
  };
}
export type ConsoleService = ReturnType<typeof createConsoleService>;
