import type { HealthHistory, HealthIssue, HealthPoint, HealthRange, ServerHealth } from '@uni-manager/contracts';
import { and, asc, eq, gte, lt, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import {
  healthHourly,
  healthSamples,
  serverNodes,
  servers,
  type ServerNodeRow,
  type ServerRow,
} from '../../db/schema/index.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { Logger } from '../../lib/logger.js';
import type { ProxmoxClient } from '../../integrations/proxmox/client.js';
import { ProxmoxError } from '../../integrations/proxmox/errors.js';
import type { PveClusterVm } from '../../integrations/proxmox/types.js';
import { appendAudit } from '../audit/audit.repo.js';
import type { LivePublisher } from '../live/live.publisher.js';
import type { ServersService } from '../servers/servers.service.js';

export interface MonitoringDeps {
  db: Db;
  clock: Clock;
  logger: Logger;
  servers: ServersService;
  /** A node above this share of CPU, memory or root disk is degraded. */
  saturation?: number;
  rawRetentionHours?: number;
  hourlyRetentionDays?: number;
  /** Told after each check is stored, so administrators' open pages show it without polling. */
  live?: Pick<LivePublisher, 'server'>;
}

interface NodeCheck {
  node: string;
  status: 'online' | 'offline' | 'unknown';
  health: ServerHealth;
  reason: string | null;
  saturated: { metric: 'cpu' | 'memory' | 'disk'; percent: number }[];
  cpu: number | null;
  maxcpu: number | null;
  memUsed: number | null;
  memTotal: number | null;
  diskUsed: number | null;
  diskTotal: number | null;
  load1: number | null;
  uptime: number | null;
  vmsRunning: number | null;
}

export interface ServerCheck {
  serverId: string;
  health: ServerHealth;
  reason: string | null;
  issues: HealthIssue[];
  latencyMs: number | null;
  version: string | null;
  nodes: NodeCheck[];
}

const RANGE_MS: Record<HealthRange, number> = {
  '1h': 3_600_000,
  '6h': 21_600_000,
  '24h': 86_400_000,
  '7d': 7 * 86_400_000,
  '30d': 30 * 86_400_000,
};
const SERVER_ROW = ''; // node value of the server-wide series

const kindOf = (e: unknown) => (e instanceof ProxmoxError ? e.kind : 'SERVER');
const messageOf = (e: unknown) => String((e as Error)?.message ?? e);
const describeError = (e: unknown) =>
  e instanceof ProxmoxError ? `${e.kind.toLowerCase()}: ${e.message}` : String((e as Error)?.message ?? e);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * Polls every enabled server, records what it saw, and turns it into health:
 * healthy, degraded (a node down or saturated) or offline (the server does not
 * answer, or every node is down). Transitions go to the audit log.
 */
export function createMonitoringService(deps: MonitoringDeps) {
  const { db, clock } = deps;
  const saturation = deps.saturation ?? 0.95;

  async function probe(client: ProxmoxClient, serverId: string): Promise<ServerCheck> {
    const started = performance.now();
    let version: string;
    try {
      const v = await client.version();
      version = `${v.version}${v.release ? ` (${v.release})` : ''}`;
    } catch (e) {
      return {
        serverId,
        health: 'offline',
        reason: describeError(e),
        issues: [{ code: 'UNREACHABLE', kind: kindOf(e), message: messageOf(e) }],
        latencyMs: null,
        version: null,
        nodes: [],
      };
    }
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    let listed;
    try {
      listed = await client.nodes();
    } catch (e) {
      return {
        serverId,
        health: 'degraded',
        reason: `cannot list nodes: ${describeError(e)}`,
        issues: [{ code: 'NODES_UNLISTED', kind: kindOf(e), message: messageOf(e) }],
        latencyMs,
        version,
        nodes: [],
      };
    }
    const vms = await client.clusterResources('vm').catch(() => null);
    const running = new Map<string, number>();
    for (const r of vms ?? []) {
      const vm = r as PveClusterVm;
      if (vm.type === 'qemu' && vm.status === 'running' && !vm.template)
        running.set(vm.node, (running.get(vm.node) ?? 0) + 1);
    }
    const nodes = await Promise.all(
      listed.map(async (n): Promise<NodeCheck> => {
        const base = {
          node: n.node,
          maxcpu: num(n.maxcpu),
          uptime: num(n.uptime),
          vmsRunning: vms ? (running.get(n.node) ?? 0) : null,
        };
        const down = (reason: string): NodeCheck => ({
          ...base,
          status: n.status === 'online' ? 'unknown' : 'offline',
          health: 'offline',
          reason,
          saturated: [],
          cpu: null,
          memUsed: null,
          memTotal: null,
          diskUsed: null,
          diskTotal: null,
          load1: null,
        });
        if (n.status !== 'online') return down(`node ${n.status}`);
        try {
          const s = await client.nodeStatus(n.node);
          const cpu = num(s.cpu);
          const memShare = s.memory?.total ? s.memory.used / s.memory.total : null;
          const diskShare = s.rootfs?.total ? s.rootfs.used / s.rootfs.total : null;
          const shares = { cpu, memory: memShare, disk: diskShare };
          const saturated = (Object.keys(shares) as (keyof typeof shares)[])
            .filter((metric) => (shares[metric] ?? 0) >= saturation)
            .map((metric) => ({ metric, percent: Math.round((shares[metric] ?? 0) * 100) }));
          const words = { cpu: 'CPU', memory: 'memory', disk: 'root disk' };
          return {
            ...base,
            status: 'online',
            health: saturated.length ? 'degraded' : 'healthy',
            reason: saturated.length
              ? `saturated: ${saturated.map((x) => `${words[x.metric]} ${x.percent}%`).join(', ')}`
              : null,
            saturated,
            cpu,
            memUsed: num(s.memory?.used),
            memTotal: num(s.memory?.total),
            diskUsed: num(s.rootfs?.used),
            diskTotal: num(s.rootfs?.total),
            load1: s.loadavg?.[0] !== undefined ? Number(s.loadavg[0]) : null,
            uptime: num(s.uptime) ?? base.uptime,
          };
        } catch (e) {
          return down(describeError(e));
        }
      }),
    );
    const offline = nodes.filter((n) => n.health === 'offline');
    const degraded = nodes.filter((n) => n.health === 'degraded');
    let health: ServerHealth = 'healthy';
    let reason: string | null = null;
    let issues: HealthIssue[] = [];
    if (nodes.length && offline.length === nodes.length) {
      health = 'offline';
      reason = 'every node is down';
      issues = [{ code: 'ALL_NODES_DOWN' }];
    } else if (offline.length || degraded.length) {
      health = 'degraded';
      reason = [...offline.map((n) => `${n.node} offline`), ...degraded.map((n) => `${n.node} ${n.reason}`)].join('; ');
      issues = [
        ...offline.map((n): HealthIssue => ({ code: 'NODE_OFFLINE', node: n.node })),
        ...degraded.flatMap((n) =>
          n.saturated.map((x): HealthIssue => ({ code: 'NODE_SATURATED', node: n.node, ...x })),
        ),
      ];
    }
    return { serverId, health, reason, issues, latencyMs, version, nodes };
  }

  const sum = (xs: (number | null)[]) =>
    xs.some((x) => x !== null) ? xs.reduce<number>((a, x) => a + (x ?? 0), 0) : null;

  /** Stores one check: samples, the server's and nodes' current state, and audited transitions. */
  async function record(server: ServerRow, check: ServerCheck, previousNodes: ServerNodeRow[]) {
    const now = clock.now();
    const online = check.nodes.filter((n) => n.status === 'online');
    await db.transaction(async (tx) => {
      await tx.insert(healthSamples).values([
        {
          serverId: server.id,
          node: SERVER_ROW,
          sampledAt: now,
          up: check.latencyMs === null ? 0 : 1,
          latencyMs: check.latencyMs,
          cpu: online.length ? online.reduce((a, n) => a + (n.cpu ?? 0), 0) / online.length : null,
          memUsed: sum(check.nodes.map((n) => n.memUsed)),
          memTotal: sum(check.nodes.map((n) => n.memTotal)),
          diskUsed: sum(check.nodes.map((n) => n.diskUsed)),
          diskTotal: sum(check.nodes.map((n) => n.diskTotal)),
          load1: null,
          vmsRunning: sum(check.nodes.map((n) => n.vmsRunning)),
        },
        ...check.nodes.map((n) => ({
          serverId: server.id,
          node: n.node,
          sampledAt: now,
          up: n.health === 'offline' ? 0 : 1,
          latencyMs: null,
          cpu: n.cpu,
          memUsed: n.memUsed,
          memTotal: n.memTotal,
          diskUsed: n.diskUsed,
          diskTotal: n.diskTotal,
          load1: n.load1,
          vmsRunning: n.vmsRunning,
        })),
      ]);
      await tx
        .update(servers)
        .set({
          health: check.health,
          healthReason: check.reason,
          healthIssues: check.issues,
          lastCheckedAt: now,
          ...(check.version ? { pveVersion: check.version } : {}),
        })
        .where(eq(servers.id, server.id));
      // When the server itself does not answer, the nodes keep their last known
      // figures but are no longer known to be up.
      if (check.latencyMs === null) {
        await tx
          .update(serverNodes)
          .set({ health: 'offline', status: 'unknown' })
          .where(eq(serverNodes.serverId, server.id));
      } else {
        await tx.delete(serverNodes).where(eq(serverNodes.serverId, server.id));
        if (check.nodes.length)
          await tx.insert(serverNodes).values(
            check.nodes.map((n) => ({
              serverId: server.id,
              node: n.node,
              status: n.status,
              health: n.health,
              cpu: n.cpu,
              maxcpu: n.maxcpu,
              memUsed: n.memUsed,
              memTotal: n.memTotal,
              uptime: n.uptime,
              lastSeenAt:
                n.status === 'online' ? now : (previousNodes.find((p) => p.node === n.node)?.lastSeenAt ?? null),
            })),
          );
      }
      const transitions: { node?: string; from: ServerHealth; to: ServerHealth; reason: string | null }[] = [];
      // The first check of a new server is not news; everything after is.
      if (server.health !== check.health && !(server.health === 'unknown' && check.health === 'healthy'))
        transitions.push({ from: server.health, to: check.health, reason: check.reason });
      if (check.latencyMs !== null)
        for (const n of check.nodes) {
          const before = previousNodes.find((p) => p.node === n.node)?.health ?? 'unknown';
          if (before !== n.health && !(before === 'unknown' && n.health === 'healthy'))
            transitions.push({ node: n.node, from: before, to: n.health, reason: n.reason });
        }
      for (const t of transitions) {
        await appendAudit(
          tx,
          {
            action: 'server.health_changed',
            targetType: 'server',
            targetId: server.id,
            details: { server: server.name, ...t },
          },
          now,
        );
        const log = t.to === 'healthy' ? deps.logger.info.bind(deps.logger) : deps.logger.warn.bind(deps.logger);
        log(
          { serverId: server.id, server: server.name, ...t },
          `${t.node ? `node ${t.node} of ` : ''}server ${server.name} is now ${t.to}`,
        );
      }
    });
    deps.live?.server(server.id, check.health);
  }

  async function checkServer(serverId: string): Promise<ServerCheck> {
    const { server, client } = await deps.servers.clientFor(serverId, { readAttempts: 1 });
    const previousNodes = await db.select().from(serverNodes).where(eq(serverNodes.serverId, serverId));
    try {
      const check = await probe(client, serverId);
      await record(server, check, previousNodes);
      return check;
    } finally {
      await client.close();
    }
  }

  /**
   * Folds raw samples into hourly rows. Re-running an hour replaces it, so
   * the current, partial hour can be folded at every cycle.
   */
  async function rollup(since: Date) {
    const hour = sql`date_trunc('hour', ${healthSamples.sampledAt})`;
    await db
      .insert(healthHourly)
      .select(
        db
          .select({
            serverId: healthSamples.serverId,
            node: healthSamples.node,
            hour: sql`${hour}`.as('hour'),
            samples: sql<number>`count(*)::int`.as('samples'),
            up: sql<number>`avg(${healthSamples.up})::float8`.as('up'),
            latencyMs: sql<number>`avg(${healthSamples.latencyMs})`.as('latency_ms'),
            cpu: sql<number>`avg(${healthSamples.cpu})`.as('cpu'),
            cpuMax: sql<number>`max(${healthSamples.cpu})`.as('cpu_max'),
            memUsed: sql<number>`avg(${healthSamples.memUsed})`.as('mem_used'),
            memTotal: sql<number>`max(${healthSamples.memTotal})`.as('mem_total'),
            diskUsed: sql<number>`avg(${healthSamples.diskUsed})`.as('disk_used'),
            diskTotal: sql<number>`max(${healthSamples.diskTotal})`.as('disk_total'),
            load1: sql<number>`avg(${healthSamples.load1})`.as('load1'),
            vmsRunning: sql<number>`avg(${healthSamples.vmsRunning})::float8`.as('vms_running'),
          })
          .from(healthSamples)
          .where(gte(healthSamples.sampledAt, since))
          .groupBy(healthSamples.serverId, healthSamples.node, hour),
      )
      .onConflictDoUpdate({
        target: [healthHourly.serverId, healthHourly.node, healthHourly.hour],
        set: {
          samples: sql`excluded.samples`,
          up: sql`excluded.up`,
          latencyMs: sql`excluded.latency_ms`,
          cpu: sql`excluded.cpu`,
          cpuMax: sql`excluded.cpu_max`,
          memUsed: sql`excluded.mem_used`,
          memTotal: sql`excluded.mem_total`,
          diskUsed: sql`excluded.disk_used`,
          diskTotal: sql`excluded.disk_total`,
          load1: sql`excluded.load1`,
          vmsRunning: sql`excluded.vms_running`,
        },
      });
  }

  const hourStart = (d: Date) => new Date(Math.floor(d.getTime() / 3_600_000) * 3_600_000);

  return {
    probe,
    checkServer,

    /** One monitoring cycle over every enabled server, each independent of the others. */
    async runCycle(): Promise<{ checked: number; offline: number; degraded: number }> {
      const enabled = await db.select({ id: servers.id }).from(servers).where(eq(servers.enabled, true));
      const results = await Promise.allSettled(enabled.map((s) => checkServer(s.id)));
      for (const r of results) if (r.status === 'rejected') deps.logger.error({ err: r.reason }, 'health check failed');
      const checks = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      await rollup(new Date(hourStart(clock.now()).getTime() - 3_600_000));
      return {
        checked: checks.length,
        offline: checks.filter((c) => c.health === 'offline').length,
        degraded: checks.filter((c) => c.health === 'degraded').length,
      };
    },

    /** Hourly: fold anything not yet folded, then drop what is past retention. */
    async retention(): Promise<{ rawDeleted: number; hourlyDeleted: number }> {
      const now = clock.now();
      const rawCutoff = new Date(now.getTime() - (deps.rawRetentionHours ?? 48) * 3_600_000);
      await rollup(hourStart(rawCutoff));
      const raw = await db
        .delete(healthSamples)
        .where(lt(healthSamples.sampledAt, rawCutoff))
        .returning({ id: healthSamples.id });
      const hourly = await db
        .delete(healthHourly)
        .where(lt(healthHourly.hour, new Date(now.getTime() - (deps.hourlyRetentionDays ?? 30) * 86_400_000)))
        .returning({ hour: healthHourly.hour });
      return { rawDeleted: raw.length, hourlyDeleted: hourly.length };
    },

    async history(serverId: string, range: HealthRange): Promise<HealthHistory> {
      const [exists] = await db.select({ id: servers.id }).from(servers).where(eq(servers.id, serverId)).limit(1);
      if (!exists) throw AppError.notFound('Server');
      const since = new Date(clock.now().getTime() - RANGE_MS[range]);
      const resolution = RANGE_MS[range] <= RANGE_MS['24h'] ? 'raw' : 'hourly';
      const rows: (HealthPoint & { node: string })[] =
        resolution === 'raw'
          ? (
              await db
                .select()
                .from(healthSamples)
                .where(and(eq(healthSamples.serverId, serverId), gte(healthSamples.sampledAt, since)))
                .orderBy(asc(healthSamples.sampledAt))
            ).map((r) => ({ ...r, t: r.sampledAt.toISOString() }))
          : (
              await db
                .select()
                .from(healthHourly)
                .where(and(eq(healthHourly.serverId, serverId), gte(healthHourly.hour, since)))
                .orderBy(asc(healthHourly.hour))
            ).map((r) => ({ ...r, t: r.hour.toISOString() }));
      const point = (r: HealthPoint): HealthPoint => ({
        t: r.t,
        up: r.up,
        latencyMs: r.latencyMs,
        cpu: r.cpu,
        memUsed: r.memUsed,
        memTotal: r.memTotal,
        diskUsed: r.diskUsed,
        diskTotal: r.diskTotal,
        load1: r.load1,
        vmsRunning: r.vmsRunning,
      });
      const byNode = new Map<string, HealthPoint[]>();
      for (const r of rows) if (r.node !== SERVER_ROW) byNode.set(r.node, [...(byNode.get(r.node) ?? []), point(r)]);
      return {
        range,
        resolution,
        server: rows.filter((r) => r.node === SERVER_ROW).map(point),
        nodes: [...byNode.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([node, points]) => ({ node, points })),
      };
    },
  };
}
export type MonitoringService = ReturnType<typeof createMonitoringService>;
