import { query } from '../../lib/sql.js';
import { RATE_SCALE, type AdminOverview, type BillingReport } from '@uni-manager/contracts';
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { BillingService } from './billing.service.js';

const DAY_MS = 86_400_000;
const MAX_REPORT_DAYS = 366;

/** Usage net of its reversals: what users were really charged. */
const NET_USAGE = sql`case when t.kind = 'usage' then t.amount
  when t.kind = 'reversal' and o.kind = 'usage' then -t.amount else 0 end`;

/** The administrators' views of money and of the platform: read-only aggregates. */
export function createBillingReports(deps: { db: Db; clock: Clock; billing: Pick<BillingService, 'lastRun'> }) {
  const { db, clock } = deps;

  async function report(q: { from?: string; to?: string }): Promise<BillingReport> {
    const to = q.to ? new Date(q.to) : clock.now();
    const from = q.from ? new Date(q.from) : new Date(to.getTime() - 30 * DAY_MS);
    if (from >= to) throw AppError.field('VALIDATION_FAILED', 'from', 'The start must come before the end');
    if (to.getTime() - from.getTime() > MAX_REPORT_DAYS * DAY_MS)
      throw AppError.field('VALIDATION_FAILED', 'from', `At most ${MAX_REPORT_DAYS} days at once`);
    const F = sql`${from.toISOString()}::timestamptz`;
    const T = sql`${to.toISOString()}::timestamptz`;
    const base = sql`from ledger_transfers t left join ledger_transfers o on o.id = t.reverses_id
      where t.created_at >= ${F} and t.created_at < ${T}`;

    const [totals, days, top, debt] = await Promise.all([
      query<Record<string, string>>(
        db,
        sql`select
          coalesce(sum(${NET_USAGE}), 0)::text as usage,
          coalesce(sum(case when t.kind in ('grant', 'initial') then t.amount
            when t.kind = 'reversal' and o.kind in ('grant', 'initial') then -t.amount else 0 end), 0)::text as granted,
          coalesce(sum(case when t.kind = 'deduction' then t.amount
            when t.kind = 'reversal' and o.kind = 'deduction' then -t.amount else 0 end), 0)::text as deducted,
          coalesce(sum(case when t.kind = 'payment' then t.amount else 0 end), 0)::text as payments,
          coalesce(sum(case when t.kind = 'refund' then t.amount else 0 end), 0)::text as refunds
        ${base}`,
      ),
      query<{ d: string; usage: string; granted: string; payments: string }>(
        db,
        sql`select
          to_char(t.created_at at time zone 'UTC', 'YYYY-MM-DD') as d,
          sum(${NET_USAGE})::text as usage,
          sum(case when t.kind in ('grant', 'initial') then t.amount else 0 end)::text as granted,
          sum(case when t.kind = 'payment' then t.amount else 0 end)::text as payments
        ${base} group by 1 order by 1`,
      ),
      query<{ user_id: string; email: string; display_name: string; amount: string }>(
        db,
        sql`select
          t.user_id, u.email, u.display_name, sum(${NET_USAGE})::text as amount
        from ledger_transfers t left join ledger_transfers o on o.id = t.reverses_id join users u on u.id = t.user_id
        where t.created_at >= ${F} and t.created_at < ${T}
        group by 1, 2, 3 having sum(${NET_USAGE}) > 0 order by sum(${NET_USAGE}) desc limit 10`,
      ),
      query<{ debt: string }>(
        db,
        sql`select coalesce(sum(debits_posted - credits_posted), 0)::text as debt
        from ledger_accounts where kind = 'wallet' and debits_posted > credits_posted`,
      ),
    ]);
    const grouped = async (key: 'template' | 'server') => {
      const join =
        key === 'template'
          ? sql`left join templates g on g.id = v.template_id`
          : sql`left join servers g on g.id = v.server_id`;
      const col = key === 'template' ? sql`v.template_id` : sql`v.server_id`;
      const r = await query<{ id: string | null; name: string | null; amount: string }>(
        db,
        sql`select
          ${col} as id, g.name, sum(${NET_USAGE})::text as amount
        from ledger_transfers t left join ledger_transfers o on o.id = t.reverses_id
        join vms v on v.id = t.vm_id ${join}
        where t.created_at >= ${F} and t.created_at < ${T}
        group by 1, 2 having sum(${NET_USAGE}) > 0 order by sum(${NET_USAGE}) desc limit 20`,
      );
      return r.rows.map((x) => ({
        id: x.id,
        name: x.name ?? (key === 'template' ? '(deleted template)' : '(removed server)'),
        amount: Number(x.amount),
      }));
    };
    const t = totals.rows[0]!;
    const byDay = new Map(days.rows.map((d) => [d.d, d]));
    const dayList: BillingReport['byDay'] = [];
    const first = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
    for (let d = first; d < to.getTime(); d += DAY_MS) {
      const key = new Date(d).toISOString().slice(0, 10);
      const row = byDay.get(key);
      dayList.push({
        date: key,
        usage: Math.max(0, Number(row?.usage ?? 0)),
        granted: Number(row?.granted ?? 0),
        payments: Number(row?.payments ?? 0),
      });
    }
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      totals: {
        usage: Math.max(0, Number(t.usage)),
        granted: Math.max(0, Number(t.granted)),
        deducted: Math.max(0, Number(t.deducted)),
        payments: Number(t.payments),
        refunds: Number(t.refunds),
        outstandingDebt: Number(debt.rows[0]!.debt),
      },
      byDay: dayList,
      byTemplate: await grouped('template'),
      byServer: await grouped('server'),
      topConsumers: top.rows.map((r) => ({
        userId: r.user_id,
        email: r.email,
        displayName: r.display_name,
        amount: Number(r.amount),
      })),
    };
  }

  async function overview(): Promise<AdminOverview> {
    const now = clock.now();
    const today = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const [u, v, srv, credits, failed, lastRun] = await Promise.all([
      query<Record<string, string>>(
        db,
        sql`select count(*)::text as total,
          count(*) filter (where state = 'active')::text as active,
          count(*) filter (where state = 'suspended')::text as suspended,
          count(*) filter (where state = 'banned')::text as banned,
          count(*) filter (where role = 'admin')::text as admins,
          (select count(*) from ledger_accounts where kind = 'wallet' and debits_posted > credits_posted)::text as in_debt
        from users`,
      ),
      query<Record<string, string>>(
        db,
        sql`select
          count(*) filter (where status not in ('deleted', 'failed'))::text as total,
          count(*) filter (where status = 'active' and power_state = 'running')::text as running,
          count(*) filter (where status = 'active' and power_state = 'stopped')::text as stopped,
          count(*) filter (where status = 'active' and power_state = 'paused')::text as paused,
          count(*) filter (where status = 'provisioning')::text as provisioning,
          count(*) filter (where status = 'failed')::text as failed,
          count(*) filter (where status = 'lost')::text as lost,
          coalesce(sum(rate_x1024), 0)::text as burn
        from vms`,
      ),
      query<{
        id: string;
        name: string;
        health: string;
        maintenance: boolean;
        enabled: boolean;
        nodes: string;
        cpu: number | null;
        mem_used: string | null;
        mem_total: string | null;
        vms: string;
      }>(
        db,
        sql`select s.id, s.name, s.health, s.maintenance, s.enabled,
          (select count(*) from server_nodes n where n.server_id = s.id)::text as nodes,
          (select avg(n.cpu) from server_nodes n where n.server_id = s.id)::float8 as cpu,
          (select sum(n.mem_used) from server_nodes n where n.server_id = s.id)::text as mem_used,
          (select sum(n.mem_total) from server_nodes n where n.server_id = s.id)::text as mem_total,
          (select count(*) from vms v where v.server_id = s.id and v.status not in ('deleted', 'failed'))::text as vms
        from servers s order by s.name`,
      ),
      query<{ today: string; month: string }>(
        db,
        sql`select
          coalesce(sum(${NET_USAGE}) filter (where t.created_at >= ${today.toISOString()}::timestamptz), 0)::text as today,
          coalesce(sum(${NET_USAGE}), 0)::text as month
        from ledger_transfers t left join ledger_transfers o on o.id = t.reverses_id
        where t.created_at >= ${month.toISOString()}::timestamptz`,
      ),
      query<{ n: string }>(
        db,
        sql`select count(*)::text as n from vm_operations
        where status = 'failed' and finished_at >= ${new Date(now.getTime() - DAY_MS).toISOString()}::timestamptz`,
      ),
      deps.billing.lastRun(),
    ]);
    const uu = u.rows[0]!;
    const vv = v.rows[0]!;
    const n = (x: string | undefined) => Number(x ?? 0);
    return {
      users: {
        total: n(uu.total),
        active: n(uu.active),
        suspended: n(uu.suspended),
        banned: n(uu.banned),
        admins: n(uu.admins),
        inDebt: n(uu.in_debt),
      },
      vms: {
        total: n(vv.total),
        running: n(vv.running),
        stopped: n(vv.stopped),
        paused: n(vv.paused),
        provisioning: n(vv.provisioning),
        failed: n(vv.failed),
        lost: n(vv.lost),
      },
      servers: srv.rows.map((s) => ({
        id: s.id,
        name: s.name,
        health: s.health,
        maintenance: s.maintenance,
        enabled: s.enabled,
        nodes: n(s.nodes),
        cpu: s.cpu,
        memUsed: s.mem_used === null ? null : Number(s.mem_used),
        memTotal: s.mem_total === null ? null : Number(s.mem_total),
        vms: n(s.vms),
      })),
      credits: {
        today: Math.max(0, n(credits.rows[0]!.today)),
        thisMonth: Math.max(0, n(credits.rows[0]!.month)),
        burnRatePerHour: n(vv.burn) / RATE_SCALE,
      },
      failedOperations24h: n(failed.rows[0]!.n),
      lastBillingRun: lastRun,
    };
  }

  return { report, overview };
}
export type BillingReports = ReturnType<typeof createBillingReports>;
