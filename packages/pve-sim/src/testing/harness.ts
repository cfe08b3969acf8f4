/**
 * Test support: a simulator started for a test file (port 0, fast clock, no 401 delay) and a
 * small HTTPS client that trusts the simulator's CA, like the product's client does.
 */
import { request as httpsRequest } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { SimulatorOptions } from '../options.js';
import { startSimulator, type RunningSimulator } from '../simulator.js';

export interface Reply {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  text: string;
  json: { data?: unknown; message?: string; errors?: Record<string, string>; total?: number } | undefined;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean>;
  /** Form-encoded body (the default), or JSON with `json: true`. */
  body?: Record<string, unknown>;
  json?: boolean;
  rawBody?: string;
  headers?: Record<string, string>;
  /** Abort after this many milliseconds (the request then rejects), like a client timeout. */
  timeoutMs?: number;
}

export type Auth = { token: string } | { ticket: string; csrf?: string } | undefined;

function encodeForm(body: Record<string, unknown>): string {
  return Object.entries(body)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
}

export class PveClient {
  constructor(
    readonly sim: RunningSimulator,
    readonly auth: Auth,
  ) {}

  withAuth(auth: Auth): PveClient {
    return new PveClient(this.sim, auth);
  }

  request(method: string, path: string, opts: RequestOptions = {}): Promise<Reply> {
    const query = opts.query ? `?${encodeForm(opts.query)}` : '';
    const url = new URL(`${this.sim.apiUrl}${path}${query}`);
    const headers: Record<string, string> = { ...opts.headers };
    if (this.auth && 'token' in this.auth) headers.Authorization = this.auth.token;
    if (this.auth && 'ticket' in this.auth) {
      headers.Cookie = `PVEAuthCookie=${encodeURIComponent(this.auth.ticket)}`;
      if (this.auth.csrf) headers.CSRFPreventionToken = this.auth.csrf;
    }
    let payload: string | undefined = opts.rawBody;
    if (opts.body) {
      payload = opts.json ? JSON.stringify(opts.body) : encodeForm(opts.body);
      headers['Content-Type'] = opts.json ? 'application/json' : 'application/x-www-form-urlencoded';
    }
    if (payload !== undefined) headers['Content-Length'] = String(Buffer.byteLength(payload));
    return new Promise((resolve, reject) => {
      const signal = opts.timeoutMs ? AbortSignal.timeout(opts.timeoutMs) : undefined;
      const req = httpsRequest(url, { method, headers, ca: this.sim.caPem, agent: false, signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: Reply['json'];
          try {
            json = text ? (JSON.parse(text) as Reply['json']) : undefined;
          } catch {
            json = undefined;
          }
          resolve({
            status: res.statusCode ?? 0,
            statusText: res.statusMessage ?? '',
            headers: res.headers,
            text,
            json,
          });
        });
      });
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  get(path: string, query?: RequestOptions['query']) {
    return this.request('GET', path, { query });
  }
  post(path: string, body?: Record<string, unknown>) {
    return this.request('POST', path, { body });
  }
  put(path: string, body?: Record<string, unknown>) {
    return this.request('PUT', path, { body });
  }
  del(path: string, query?: RequestOptions['query']) {
    return this.request('DELETE', path, { query });
  }

  /** `data` of a 200 answer; throws with the status line otherwise. */
  async data<T = unknown>(promise: Promise<Reply>): Promise<T> {
    const r = await promise;
    if (r.status !== 200) throw new Error(`${r.status} ${r.statusText}: ${r.text}`);
    return r.json?.data as T;
  }

  /** Polls a task until it stops; returns its status object. */
  async waitTask(upid: string, timeoutMs = 15_000): Promise<{ status: string; exitstatus?: string }> {
    const node = upid.split(':')[1] as string;
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const st = await this.data<{ status: string; exitstatus?: string }>(
        this.get(`/nodes/${node}/tasks/${encodeURIComponent(upid)}/status`),
      );
      if (st.status === 'stopped') return st;
      if (Date.now() > deadline) throw new Error(`task ${upid} still running`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  /** Runs an API call that answers with a UPID and waits for the task. */
  async task(promise: Promise<Reply>): Promise<{ upid: string; status: string; exitstatus?: string }> {
    const upid = await this.data<string>(promise);
    return { upid, ...(await this.waitTask(upid)) };
  }

  async taskLog(upid: string): Promise<string[]> {
    const node = upid.split(':')[1] as string;
    const lines = await this.data<{ n: number; t: string }[]>(
      this.get(`/nodes/${node}/tasks/${encodeURIComponent(upid)}/log`, { limit: 1000 }),
    );
    return lines.map((l) => l.t);
  }
}

export const FAST: SimulatorOptions = {
  port: 0,
  timeScale: 0.01,
  authFailureDelayMs: 0,
  statsIntervalMs: 1000,
  seed: 42,
  nodes: 2,
};

export interface TestSim {
  sim: RunningSimulator;
  /** Client with the full-privilege token. */
  api: PveClient;
  /** Client with the read-only token. */
  audit: PveClient;
  anon: PveClient;
}

export async function startTestSim(options: SimulatorOptions = {}): Promise<TestSim> {
  const sim = await startSimulator({ ...FAST, ...options });
  return {
    sim,
    api: new PveClient(sim, { token: sim.tokens.admin.header }),
    audit: new PveClient(sim, { token: sim.tokens.readonly.header }),
    anon: new PveClient(sim, undefined),
  };
}

/** Clones template 9000 on pve1 into `newid` and waits for the clone. */
export async function cloneTemplate(api: PveClient, newid: number, extra: Record<string, unknown> = {}) {
  return api.task(api.post('/nodes/pve1/qemu/9000/clone', { newid, ...extra }));
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
