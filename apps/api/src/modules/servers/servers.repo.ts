import { asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../db/client.js';
import { serverNodes, servers, type ServerRow } from '../../db/schema/index.js';

export async function listServers(db: Executor) {
  const rows = await db.select().from(servers).orderBy(asc(servers.name));
  const nodes = rows.length
    ? await db
        .select()
        .from(serverNodes)
        .where(
          inArray(
            serverNodes.serverId,
            rows.map((r) => r.id),
          ),
        )
    : [];
  return { rows, nodes };
}

export async function getServer(db: Executor, id: string) {
  const [row] = await db.select().from(servers).where(eq(servers.id, id)).limit(1);
  if (!row) return undefined;
  const nodes = await db.select().from(serverNodes).where(eq(serverNodes.serverId, id));
  return { row, nodes };
}

export async function lockServer(tx: Executor, id: string): Promise<ServerRow | undefined> {
  const [row] = await tx.select().from(servers).where(eq(servers.id, id)).for('update').limit(1);
  return row;
}

/** Replaces the node list of a server with what Proxmox reports now. */
export async function replaceNodes(
  tx: Executor,
  serverId: string,
  nodes: { node: string; status: 'online' | 'offline' | 'unknown' }[],
  now: Date,
) {
  await tx.delete(serverNodes).where(eq(serverNodes.serverId, serverId));
  if (nodes.length)
    await tx.insert(serverNodes).values(
      nodes.map((n) => ({
        serverId,
        node: n.node,
        status: n.status,
        health: n.status === 'online' ? ('healthy' as const) : ('offline' as const),
        lastSeenAt: n.status === 'online' ? now : null,
      })),
    );
}
