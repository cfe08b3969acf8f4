import { setTimeout as sleep } from 'node:timers/promises';
import { fetch, type Agent } from 'undici';
import type { Logger } from '../../lib/logger.js';
import { ProxmoxError, classify, lockOf } from './errors.js';
import { createDispatcher, type TlsTrust } from './tls.js';
import { openVncWebSocket } from './vnc-socket.js';
import type {
  PveClusterResource,
  PveConfig,
  PveNode,
  PveNodeStatus,
  PveTaskLogLine,
  PveTaskStatus,
  PveVersion,
  PveVncProxy,
} from './types.js';

export interface ProxmoxClientOptions {
  /** https://host:8006 — the /api2/json prefix is added here. */
  baseUrl: string;
  /** USER@REALM!TOKENID */
  tokenId: string;
  tokenSecret: string;
  tls: TlsTrust;
  /** Per attempt. A node that hangs must not hang us. */
  timeoutMs?: number;
  connectTimeoutMs?: number;
  /** Attempts for idempotent reads on transient failures (writes are never retried here). */
  readAttempts?: number;
  logger?: Logger;
}

type Params = Record<string, string | number | boolean | undefined | null>;

/** Proxmox wants booleans as 1/0 and takes every other value as a string. */
function encodeParams(params: Params): URLSearchParams {
  const out = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null) continue;
    out.append(k, typeof v === 'boolean' ? (v ? '1' : '0') : String(v));
  }
  return out;
}

/**
 * `sshkeys` must match ^[-%a-zA-Z0-9_.!~*'()]*$ because Proxmox URI-unescapes
 * it once more after the form decoding: encode the newline-joined keys here,
 * and the form encoding adds the second layer.
 */
export function encodeSshKeys(keys: string[]): string {
  return encodeURIComponent(
    keys
      .map((k) => k.trim())
      .filter(Boolean)
      .join('\n'),
  );
}

export function createProxmoxClient(opts: ProxmoxClientOptions) {
  const base = new URL('/api2/json', opts.baseUrl.replace(/\/+$/, '')).toString();
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const readAttempts = opts.readAttempts ?? 3;
  const auth = `PVEAPIToken=${opts.tokenId}=${opts.tokenSecret}`;
  const dispatcher: Agent = createDispatcher(opts.tls, {
    connectTimeoutMs: opts.connectTimeoutMs ?? Math.min(timeoutMs, 5_000),
  });
  const log = opts.logger;

  async function once<T>(method: string, path: string, params: Params = {}): Promise<T> {
    const hasBody = method === 'POST' || method === 'PUT';
    const query = hasBody ? '' : encodeParams(params).toString();
    const url = `${base}${path}${query ? `?${query}` : ''}`;
    const started = performance.now();
    let res;
    try {
      res = await fetch(url, {
        method,
        dispatcher,
        headers: {
          authorization: auth,
          accept: 'application/json',
          ...(hasBody ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        ...(hasBody ? { body: encodeParams(params).toString() } : {}),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      const err = e as Error & { cause?: Error & { code?: string } };
      const cause: Error & { code?: string } = err.cause ?? err;
      if (cause instanceof ProxmoxError) throw cause;
      if (err.name === 'TimeoutError' || err.name === 'AbortError' || cause.code === 'UND_ERR_CONNECT_TIMEOUT')
        throw new ProxmoxError('TIMEOUT', `Proxmox did not answer ${method} ${path} within ${timeoutMs} ms`, {
          method,
          path,
        });
      if (/certificate|self[- ]signed|altnames|CERT_|ERR_TLS/i.test(`${cause.code ?? ''} ${cause.message}`))
        throw new ProxmoxError('TLS', `TLS verification failed: ${cause.message}`, { method, path });
      throw new ProxmoxError('UNAVAILABLE', `cannot reach Proxmox: ${cause.code ?? cause.message}`, { method, path });
    }
    const text = await res.text();
    log?.debug({ method, path, status: res.status, ms: Math.round(performance.now() - started) }, 'proxmox request');
    let body: { data?: unknown; message?: string; errors?: Record<string, string> } = {};
    if (text) {
      try {
        body = JSON.parse(text);
      } catch {
        if (res.ok)
          throw new ProxmoxError('SERVER', `Proxmox answered ${method} ${path} with something that is not JSON`, {
            status: res.status,
            method,
            path,
          });
      }
    }
    if (res.ok) return body.data as T;
    // Older servers put the message only in the reason phrase; newer ones also in "message".
    const message = (body.message ?? res.statusText ?? `HTTP ${res.status}`).trim() || `HTTP ${res.status}`;
    const fields = body.errors && typeof body.errors === 'object' ? body.errors : undefined;
    const kind = classify(res.status, message, fields);
    const lock = kind === 'LOCKED' ? lockOf(message) : undefined;
    throw new ProxmoxError(kind, message, {
      status: res.status,
      method,
      path,
      ...(fields ? { fields } : {}),
      ...(lock ? { lock } : {}),
    });
  }

  /** Reads are idempotent: retried with backoff and jitter when the failure is transient. */
  async function get<T>(path: string, params?: Params): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await once<T>('GET', path, params);
      } catch (e) {
        if (!(e instanceof ProxmoxError) || !e.transient || attempt >= readAttempts) throw e;
        const delay = 200 * 2 ** (attempt - 1) * (0.5 + Math.random());
        log?.warn({ path, attempt, kind: e.kind, delayMs: Math.round(delay) }, 'proxmox read failed; retrying');
        await sleep(delay);
      }
    }
  }

  const post = <T>(path: string, params?: Params) => once<T>('POST', path, params);
  const put = <T>(path: string, params?: Params) => once<T>('PUT', path, params);
  const del = <T>(path: string, params?: Params) => once<T>('DELETE', path, params);
  const vm = (node: string, vmid: number) => `/nodes/${encodeURIComponent(node)}/qemu/${vmid}`;

  return {
    get,
    post,
    put,
    delete: del,
    version: () => get<PveVersion>('/version'),
    /** The token's effective privileges per path: `{ "/": { "VM.Allocate": 1, … } }`. */
    permissions: (path = '/') => get<Record<string, Record<string, number>>>('/access/permissions', { path }),
    nodes: () => get<PveNode[]>('/nodes'),
    nodeStatus: (node: string) => get<PveNodeStatus>(`/nodes/${encodeURIComponent(node)}/status`),
    clusterResources: (type?: 'vm' | 'node' | 'storage') => get<PveClusterResource[]>('/cluster/resources', { type }),
    /** Proxmox declares an integer but real servers send a string; accept both. */
    async nextId(preferred?: number): Promise<number> {
      const v = await get<string | number>('/cluster/nextid', { vmid: preferred });
      const n = Number(v);
      if (!Number.isInteger(n)) throw new ProxmoxError('SERVER', `unexpected /cluster/nextid answer: ${String(v)}`);
      return n;
    },
    vmConfig: (node: string, vmid: number) => get<PveConfig>(`${vm(node, vmid)}/config`),
    vmPending: (node: string, vmid: number) =>
      get<{ key: string; value?: unknown; pending?: unknown; delete?: number }[]>(`${vm(node, vmid)}/pending`),
    vmStatus: (node: string, vmid: number) =>
      get<{ status: string; qmpstatus?: string; lock?: string; uptime?: number; name?: string }>(
        `${vm(node, vmid)}/status/current`,
      ),
    clone: (
      node: string,
      vmid: number,
      p: {
        newid: number;
        name?: string;
        full?: boolean;
        target?: string;
        storage?: string;
        description?: string;
        pool?: string;
      },
    ) => post<string>(`${vm(node, vmid)}/clone`, p),
    /** Asynchronous: returns a UPID. */
    setConfig: (node: string, vmid: number, p: Params) => post<string>(`${vm(node, vmid)}/config`, p),
    resize: (node: string, vmid: number, disk: string, size: string) =>
      put<string>(`${vm(node, vmid)}/resize`, { disk, size }),
    power: (
      node: string,
      vmid: number,
      action: 'start' | 'stop' | 'shutdown' | 'reboot' | 'reset' | 'suspend' | 'resume',
      p: Params = {},
    ) => post<string>(`${vm(node, vmid)}/status/${action}`, p),
    destroy: (node: string, vmid: number, p: { purge?: boolean; 'destroy-unreferenced-disks'?: boolean } = {}) =>
      del<string>(vm(node, vmid), p),
    vncProxy: (node: string, vmid: number) => post<PveVncProxy>(`${vm(node, vmid)}/vncproxy`, { websocket: true }),
    /** The websocket of a vncproxy session, with this client's token and TLS trust (neither leaves it). */
    vncWebSocket: (node: string, vmid: number, proxy: Pick<PveVncProxy, 'port' | 'ticket'>) =>
      openVncWebSocket({
        url: `${base}${vm(node, vmid)}/vncwebsocket?${encodeParams({ port: proxy.port, vncticket: proxy.ticket })}`,
        authorization: auth,
        tls: opts.tls,
        timeoutMs,
      }),
    taskStatus: (node: string, upid: string) =>
      get<PveTaskStatus>(`/nodes/${encodeURIComponent(node)}/tasks/${encodeURIComponent(upid)}/status`),
    taskLog: (node: string, upid: string, start = 0, limit = 500) =>
      get<PveTaskLogLine[]>(`/nodes/${encodeURIComponent(node)}/tasks/${encodeURIComponent(upid)}/log`, {
        start,
        limit,
      }),
    /** The dispatcher holds sockets: close it when the server is removed or reconfigured. */
    close: () => dispatcher.close(),
  };
}
export type ProxmoxClient = ReturnType<typeof createProxmoxClient>;
