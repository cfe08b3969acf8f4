/**
 * The control endpoint, outside /api2 so no Proxmox client can hit it by accident:
 *   GET    /_sim/health                 (no auth)
 *   GET    /_sim/faults                 current faults
 *   PUT    /_sim/faults                 merge a JSON object of faults (PATCH and POST too)
 *   DELETE /_sim/faults                 reset all faults
 *   POST   /_sim/nodes/{node}/offline   {"mode":"refuse"|"hang"}
 *   POST   /_sim/nodes/{node}/online
 *   POST   /_sim/vms/{vmid}/vanish
 *   POST   /_sim/tick                   advance usage statistics
 *   GET    /_sim/state                  nodes, VMs, running tasks
 * Everything but health needs `Authorization: Bearer <control token>`.
 */
import { timingSafeEqual, createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { readBody } from '../http/body.js';
import type { NodeOfflineMode } from '../faults/faults.js';
import type { SimulatorControl } from './control.js';

function reply(res: ServerResponse, status: number, body: unknown): void {
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': String(payload.length) });
  res.end(payload);
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const m = /^Bearer\s+(\S+)$/.exec(header ?? '');
  if (!m) return false;
  const h = (v: string) => createHash('sha256').update(v).digest();
  return timingSafeEqual(h(m[1] as string), h(token));
}

export function createControlApi(control: SimulatorControl, token: string) {
  return async (req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> => {
    const method = req.method ?? 'GET';
    const path = url.pathname.replace(/\/+$/, '');
    if (path === '/_sim/health' && method === 'GET') return reply(res, 200, { ok: true });
    if (!tokenMatches(req.headers.authorization, token)) return reply(res, 401, { error: 'control token required' });
    let body: Record<string, unknown> = {};
    const raw = await readBody(req);
    if (raw.length) {
      try {
        body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
      } catch {
        return reply(res, 400, { error: 'body must be JSON' });
      }
    }
    try {
      if (path === '/_sim/faults') {
        if (method === 'GET') return reply(res, 200, control.getFaults());
        if (method === 'DELETE') return reply(res, 200, control.resetFaults());
        if (method === 'PUT' || method === 'PATCH' || method === 'POST')
          return reply(res, 200, control.setFaults(body));
      }
      if (path === '/_sim/state' && method === 'GET') return reply(res, 200, control.state());
      if (path === '/_sim/tick' && method === 'POST') {
        control.tick();
        return reply(res, 200, { ok: true });
      }
      let m = /^\/_sim\/nodes\/([^/]+)\/(offline|online)$/.exec(path);
      if (m && method === 'POST') {
        const node = decodeURIComponent(m[1] as string);
        if (m[2] === 'offline') control.setNodeOffline(node, (body.mode as NodeOfflineMode | undefined) ?? 'refuse');
        else control.setNodeOnline(node);
        return reply(res, 200, control.getFaults());
      }
      m = /^\/_sim\/vms\/(\d+)\/vanish$/.exec(path);
      if (m && method === 'POST') {
        const ok = control.vanishVm(Number(m[1]));
        return reply(res, ok ? 200 : 404, ok ? { ok: true } : { error: `VM ${m[1]} does not exist` });
      }
      return reply(res, 404, { error: `no control endpoint ${method} ${path}` });
    } catch (err) {
      return reply(res, 400, { error: (err as Error).message });
    }
  };
}
