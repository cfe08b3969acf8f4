import { randomBytes, randomUUID } from 'node:crypto';
import type { RunningSimulator } from '@uni-manager/pve-sim';
import { notInArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { templateSources, templates, vmOperations, vms } from '../db/schema/index.js';
import { query } from '../lib/sql.js';
import { verifyAuditChain } from '../modules/audit/audit.repo.js';
import { verifyLedger } from '../modules/billing/billing.ledger.js';
import type { Cluster } from './cluster.js';

/**
 * A mixed load through the cluster's one address, as many users at a
 * keyboard would make it, and the checks that must hold afterwards however
 * many processes were killed on the way.
 */
export interface Account {
  userId: string;
  token: string;
}

export interface LoadStats {
  requests: number;
  byKind: Record<string, { n: number; latencies: number[] }>;
  accepted: string[];
  statuses: Record<string, number>;
}

async function call(
  base: string,
  token: string | null,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown> | null; ms: number }> {
  const t0 = performance.now();
  try {
    const res = await fetch(`${base}/api/v1${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let json: Record<string, unknown> | null = null;
    try {
      json = text ? (JSON.parse(text) as Record<string, unknown>) : null;
    } catch {
      json = null;
    }
    return { status: res.status, json, ms: performance.now() - t0 };
  } catch {
    return { status: 0, json: null, ms: performance.now() - t0 };
  }
}

export { call as clusterCall };

export const CLUSTER_PASSWORD = 'violet-Harbour-73-lantern';

export async function signIn(base: string, email: string, password: string): Promise<Account> {
  const r = await call(base, null, 'POST', '/auth/login', { email, password });
  if (r.status !== 200) throw new Error(`sign-in answered ${r.status}: ${JSON.stringify(r.json)}`);
  return { userId: (r.json!.user as { id: string }).id, token: r.json!.accessToken as string };
}

export async function newUser(base: string, tag: string): Promise<Account> {
  const email = `${tag}-${randomBytes(3).toString('hex')}@cluster.test`;
  const r = await call(base, null, 'POST', '/auth/register', { email, displayName: tag, password: CLUSTER_PASSWORD });
  if (r.status !== 201) throw new Error(`registration answered ${r.status}: ${JSON.stringify(r.json)}`);
  return { userId: (r.json!.user as { id: string }).id, token: r.json!.accessToken as string };
}

/**
 * The simulator added as a server through the API, as an admin would, and a
 * small template on each of its nodes written directly (the templates API has
 * its own tests). Returns the template's id.
 */
export async function addSimulatorAndTemplate(
  base: string,
  admin: Account,
  db: Db,
  sim: RunningSimulator,
  template: { name?: string; priceRunningPerHour?: number; priceStoppedPerHour?: number } = {},
) {
  const server = await call(base, admin.token, 'POST', '/admin/servers', {
    name: 'Sim',
    url: sim.url,
    tokenId: sim.tokens.admin.id,
    tokenSecret: sim.tokens.admin.secret,
    tls: { fingerprint: sim.fingerprint },
  });
  if (server.status !== 201)
    throw new Error(`adding the server answered ${server.status}: ${JSON.stringify(server.json)}`);
  const serverId = server.json!.id as string;
  const templateId = randomUUID();
  await db.insert(templates).values({
    id: templateId,
    name: template.name ?? 'Debian (cluster)',
    osLabel: 'Debian 12',
    osIcon: 'debian',
    cores: 1,
    memoryMib: 512,
    diskGib: 3,
    minCores: 1,
    maxCores: 4,
    minMemoryMib: 512,
    maxMemoryMib: 4096,
    maxDiskGib: 50,
    cloudInit: true,
    priceRunningPerHour: template.priceRunningPerHour ?? 500,
    priceStoppedPerHour: template.priceStoppedPerHour ?? 100,
    visibility: 'public',
  });
  const sources = sim.control.state().vms.filter((v) => v.template && v.name === 'debian-12-cloud');
  await db.insert(templateSources).values(
    sources.map((s) => ({
      id: randomUUID(),
      templateId,
      serverId,
      node: s.node,
      vmid: s.vmid,
      cloneMode: 'linked' as const,
      storage: null,
    })),
  );
  return templateId;
}

/** The settings a cluster under test runs with: fast leases and polling, no rate limits, cheap hashing. */
export const CLUSTER_ENV: Record<string, string> = {
  INITIAL_CREDITS: '100000000',
  RATE_LIMIT_ENABLED: 'false',
  PASSWORD_HASH_MEMORY_KIB: '1024',
  PASSWORD_HASH_ITERATIONS: '1',
  OPERATION_LEASE: '10',
  OPERATION_SWEEP_INTERVAL: '5',
  OPERATION_POLL_MS: '50',
  OPERATION_RETRY_BASE_MS: '200',
  RECONCILE_INTERVAL: '5',
  VM_LIMIT_PER_USER: '10',
};

export async function runMixedLoad(opts: {
  base: string;
  admin: Account;
  users: Account[];
  templateId: string;
  durationMs: number;
  maxVmsPerUser?: number;
  /** Called once, half-way. */
  midway?: () => Promise<void>;
  billingEveryMs?: number;
}): Promise<LoadStats> {
  const stats: LoadStats = { requests: 0, byKind: {}, accepted: [], statuses: {} };
  const record = (kind: string, r: { status: number; ms: number }) => {
    stats.requests++;
    const k = (stats.byKind[kind] ??= { n: 0, latencies: [] });
    k.n++;
    k.latencies.push(r.ms);
    stats.statuses[String(r.status)] = (stats.statuses[String(r.status)] ?? 0) + 1;
  };
  const until = Date.now() + opts.durationMs;
  const max = opts.maxVmsPerUser ?? 3;
  let n = 0;

  const userLoop = async (u: Account, i: number) => {
    let k = 0;
    while (Date.now() < until) {
      k++;
      const list = await call(opts.base, u.token, 'GET', '/vms?pageSize=50');
      record('list', list);
      const items =
        (list.json?.items as { id: string; status: string; powerState: string; activeOperation: unknown }[]) ?? [];
      const alive = items.filter((v) => v.status !== 'deleted' && v.status !== 'failed');
      if (alive.length < max && (k + i) % 2 === 0) {
        const r = await call(opts.base, u.token, 'POST', '/vms', { templateId: opts.templateId, name: `c${i}-${n++}` });
        record('create', r);
        if (r.status === 202) stats.accepted.push((r.json!.operation as { id: string }).id);
      } else {
        const idle = alive.filter((v) => v.status === 'active' && !v.activeOperation);
        const v = idle[(k * 7 + i) % Math.max(1, idle.length)];
        if (v) {
          const action = v.powerState === 'running' ? ((k + i) % 3 === 0 ? 'reboot' : 'stop') : 'start';
          const r = await call(opts.base, u.token, 'POST', `/vms/${v.id}/${action}`);
          record(action, r);
          if (r.status === 202) stats.accepted.push((r.json!.operation as { id: string }).id);
        }
      }
      record('balance', await call(opts.base, u.token, 'GET', '/me/balance'));
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const billingLoop = async () => {
    while (Date.now() < until) {
      await new Promise((r) => setTimeout(r, opts.billingEveryMs ?? 2000));
      record('billing-run', await call(opts.base, opts.admin.token, 'POST', '/admin/billing/runs', {}));
    }
  };
  const midway = (async () => {
    if (!opts.midway) return;
    await new Promise((r) => setTimeout(r, opts.durationMs / 2));
    await opts.midway();
  })();
  await Promise.all([...opts.users.map(userLoop), billingLoop(), midway]);
  return stats;
}

export interface ClusterChecks {
  ok: boolean;
  lines: { ok: boolean; text: string }[];
}

/** Waits for the platform to settle, then checks what must hold; every line says what it found. */
export async function checkCluster(opts: {
  db: Db;
  sim: RunningSimulator;
  cluster: Cluster;
  accepted: string[];
  settleTimeoutMs?: number;
}): Promise<ClusterChecks> {
  const { db } = opts;
  const lines: { ok: boolean; text: string }[] = [];
  const check = (ok: boolean, text: string) => lines.push({ ok, text });

  // Operations a killed worker held are re-driven once their lease runs out.
  const until = Date.now() + (opts.settleTimeoutMs ?? 120_000);
  let open: number;
  for (;;) {
    const { rows } = await query<{ n: number }>(
      db,
      sql`select count(*)::int as n from vm_operations where status in ('queued', 'running')`,
    );
    open = rows[0]!.n;
    if (open === 0 || Date.now() > until) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  check(open === 0, `every operation reached an end (${open} still open)`);

  const ops = await db.select().from(vmOperations);
  const byId = new Map(ops.map((o) => [o.id, o]));
  const missing = opts.accepted.filter((id) => !byId.has(id));
  check(
    missing.length === 0,
    `every accepted operation (${opts.accepted.length}) is recorded${missing.length ? `; missing ${missing.join(', ')}` : ''}`,
  );
  const acceptedOps = opts.accepted.map((id) => byId.get(id)).filter((o) => o !== undefined);
  const succeeded = acceptedOps.filter((o) => o.status === 'succeeded').length;
  const failed = acceptedOps.filter((o) => o.status === 'failed');
  check(
    succeeded + failed.length === acceptedOps.length,
    `accepted operations: ${succeeded} succeeded, ${failed.length} failed${failed.length ? ` (${[...new Set(failed.map((f) => f.errorCode))].join(', ')})` : ''}`,
  );
  const internal = failed.filter((f) => f.errorCode === 'INTERNAL').length;
  check(internal === 0, `no operation failed on an internal error (${internal})`);
  const retried = ops.filter((o) => o.attempts > 1).length;
  check(true, `${retried} operation(s) were re-driven after a crash or a transient failure`);

  // Exactly once, as Proxmox sees it: one VM per record, none without one, power states agreeing.
  const rows = await db
    .select()
    .from(vms)
    .where(notInArray(vms.status, ['deleted', 'failed']));
  const simVms = opts.sim.control.state().vms.filter((v) => !v.template);
  const simByVmid = new Map(simVms.map((v) => [v.vmid, v]));
  const ours = new Set(rows.map((r) => r.vmid).filter((v) => v !== null));
  const orphans = simVms.filter((v) => !ours.has(v.vmid));
  check(
    orphans.length === 0,
    `no orphan VM in the simulator${orphans.length ? `: ${orphans.map((o) => o.vmid).join(', ')}` : ''}`,
  );
  const vmids = rows.map((r) => r.vmid).filter((v): v is number => v !== null);
  check(new Set(vmids).size === vmids.length, `${vmids.length} VM records hold ${new Set(vmids).size} distinct VMIDs`);
  const absent = rows.filter((r) => r.status === 'active' && (r.vmid === null || !simByVmid.has(r.vmid)));
  check(
    absent.length === 0,
    `every active VM exists in the simulator${absent.length ? `; ${absent.length} do not` : ''}`,
  );
  const disagree = rows.filter(
    (r) =>
      r.status === 'active' &&
      r.vmid !== null &&
      simByVmid.get(r.vmid) &&
      simByVmid.get(r.vmid)!.status !== r.powerState,
  );
  check(
    disagree.length === 0,
    `power states agree with the simulator${disagree.length ? `; ${disagree.map((d) => `${d.vmid}: ${d.powerState} vs ${simByVmid.get(d.vmid!)!.status}`).join(', ')}` : ''}`,
  );

  const ledger = await verifyLedger(db);
  check(ledger.ok, `billing verify: ${ledger.transfers} transfers, ${ledger.violation ?? 'no violation'}`);
  // The instances still running seal what the killed ones wrote.
  let audit = await verifyAuditChain(db);
  for (let i = 0; i < 40 && audit.ok && audit.unsealed > 0; i++) {
    await new Promise((r) => setTimeout(r, 250));
    audit = await verifyAuditChain(db);
  }
  check(
    audit.ok && audit.unsealed === 0,
    `audit verify: ${audit.checked} entries sealed, ${audit.unsealed} unsealed${audit.ok ? '' : `; ${audit.reason}`}`,
  );

  // 5xx only from an instance while it was down.
  const killed = new Map(
    [...opts.cluster.apis, ...opts.cluster.workers]
      .filter((p) => p.killedAt !== null)
      .map((p) => [p.name, p.killedAt!]),
  );
  const bad = opts.cluster.records.filter(
    (r) => r.status >= 500 && !r.upstreamDown && !(killed.has(r.upstream) && r.at >= killed.get(r.upstream)!),
  );
  const down = opts.cluster.records.filter((r) => r.upstreamDown).length;
  check(
    bad.length === 0,
    `no 5xx from a running instance (${opts.cluster.records.length} requests; ${down} refused by the killed one)${
      bad.length
        ? `: ${bad
            .slice(0, 5)
            .map((b) => `${b.status} ${b.method} ${b.url} on ${b.upstream}`)
            .join('; ')}`
        : ''
    }`,
  );
  return { ok: lines.every((l) => l.ok), lines };
}
