import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer as createNetServer } from 'node:net';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

/**
 * Several real `uni-manager` processes on one PostgreSQL and one Redis,
 * behind one address: what an operator runs when one machine is not enough.
 * Used by the multi-process test and by bench:cluster.
 */
const MAIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../main.ts');

export interface ClusterProcess {
  name: string;
  role: 'api' | 'worker';
  child: ChildProcess;
  /** For an API: its own address, bypassing the proxy. */
  url: string | null;
  output: string[];
  /** Set when it was killed on purpose; `exited` resolves when it is gone. */
  killedAt: number | null;
  exited: Promise<number | null>;
}

export interface ProxyRecord {
  at: number;
  upstream: string;
  method: string;
  url: string;
  status: number;
  /** The proxy could not reach the instance (it was down): a 502 of the proxy's own. */
  upstreamDown: boolean;
}

/**
 * A new, empty database beside the one `baseUrl` names (not migrated: the
 * cluster's processes migrate it themselves, all at once), and its removal.
 */
export async function createEmptyDatabase(
  baseUrl: string,
  tag: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `um_${tag}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const run = async (statement: string) => {
    const c = new pg.Client({ connectionString: baseUrl, connectionTimeoutMillis: 5_000 });
    await c.connect();
    try {
      await c.query(statement);
    } finally {
      await c.end();
    }
  };
  await run(`create database ${name}`);
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => run(`drop database if exists ${name} with (force)`) };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function startProcess(
  name: string,
  role: 'api' | 'worker',
  env: Record<string, string>,
  port: number | null,
): ClusterProcess {
  const args = role === 'api' ? ['serve', '--no-worker'] : ['worker'];
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    env: { PATH: process.env.PATH ?? '', ...env, ...(port ? { PORT: String(port), HOST: '127.0.0.1' } : {}) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (d: Buffer) => {
    output.push(d.toString());
    if (output.length > 2000) output.splice(0, 1000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { name, role, child, url: port ? `http://127.0.0.1:${port}` : null, output, killedAt: null, exited };
}

async function waitFor(what: string, check: () => Promise<boolean> | boolean, timeoutMs: number, p?: ClusterProcess) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (p && p.child.exitCode !== null) throw new Error(`${p.name} exited (${p.child.exitCode}): ${p.output.join('')}`);
    if (Date.now() > until) throw new Error(`${what}: not within ${timeoutMs} ms${p ? `\n${p.output.join('')}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A round-robin HTTP proxy with passive health checks, as an operator's load
 * balancer (Caddy's lb_try_duration, say) behaves: an instance that refuses a
 * connection is skipped for two seconds, and a request it refused (it never
 * reached it) is tried on the next one. Every answer is recorded with the
 * instance that gave it; a request cut by an instance dying mid-way gets a
 * 502 of the proxy's own, attributed to that instance.
 */
function startProxy(upstreams: () => ClusterProcess[]) {
  const records: ProxyRecord[] = [];
  const ejectedUntil = new Map<string, number>();
  let next = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const record = (upstream: string, status: number, upstreamDown: boolean) =>
        records.push({
          at: Date.now(),
          upstream,
          method: req.method ?? 'GET',
          url: req.url ?? '',
          status,
          upstreamDown,
        });
      const attempt = (tried: number) => {
        const all = upstreams().filter((u) => u.url);
        const live = all.filter((u) => (ejectedUntil.get(u.name) ?? 0) <= Date.now());
        const pool = live.length ? live : all;
        const target = pool[next++ % pool.length]!;
        const u = new URL(req.url ?? '/', target.url!);
        const up = http.request(
          u,
          { method: req.method, headers: { ...req.headers, host: u.host, 'x-forwarded-for': '127.0.0.1' } },
          (r) => {
            record(target.name, r.statusCode ?? 0, false);
            res.writeHead(r.statusCode ?? 502, r.headers);
            r.pipe(res);
            res.on('close', () => r.destroy());
          },
        );
        up.on('error', (err: NodeJS.ErrnoException) => {
          if (err.code === 'ECONNREFUSED') {
            ejectedUntil.set(target.name, Date.now() + 2000);
            if (tried + 1 < all.length) return attempt(tried + 1);
          }
          record(target.name, 502, true);
          if (!res.headersSent) {
            res.writeHead(502, { 'content-type': 'application/json' });
            res.end(JSON.stringify({ error: { code: 'UPSTREAM_DOWN', message: err.message } }));
          } else res.destroy();
        });
        up.end(body);
      };
      attempt(0);
    });
  });
  return { server, records };
}

export interface Cluster {
  url: string;
  apis: ClusterProcess[];
  workers: ClusterProcess[];
  records: ProxyRecord[];
  /** Milliseconds from spawning all four to all of them ready. */
  startupMs: number;
  kill(p: ClusterProcess): Promise<void>;
  stop(): Promise<void>;
}

export async function startCluster(opts: {
  databaseUrl: string;
  redisUrl: string;
  apis?: number;
  workers?: number;
  env?: Record<string, string>;
}): Promise<Cluster> {
  const env = {
    NODE_ENV: 'development',
    DATABASE_URL: opts.databaseUrl,
    REDIS_URL: opts.redisUrl,
    JWT_SECRET: 'cluster-test-secret-0123456789abcdef0123456789',
    ENCRYPTION_KEY: 'cd'.repeat(32),
    DATA_DIR: '/nonexistent-cluster-data',
    ...opts.env,
    // Readiness of a worker is read from its "worker started" line.
    LOG_LEVEL: 'info',
  };
  const started = Date.now();
  const apis: ClusterProcess[] = [];
  const workers: ClusterProcess[] = [];
  const ports = await Promise.all(Array.from({ length: opts.apis ?? 2 }, () => freePort()));
  // All at once, on whatever database they find: migrations, the first admin and schedules must cope.
  ports.forEach((port, i) => apis.push(startProcess(`api-${i + 1}`, 'api', env, port)));
  for (let i = 0; i < (opts.workers ?? 2); i++) workers.push(startProcess(`worker-${i + 1}`, 'worker', env, null));
  const all = [...apis, ...workers];
  const stopAll = async () => {
    for (const p of all) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    await Promise.all(all.map((p) => p.exited));
  };
  try {
    await Promise.all([
      ...apis.map((p) =>
        waitFor(
          `${p.name} ready`,
          async () => {
            try {
              return (await fetch(`${p.url}/api/v1/health/ready`)).status === 200;
            } catch {
              return false;
            }
          },
          90_000,
          p,
        ),
      ),
      ...workers.map((p) =>
        waitFor(`${p.name} started`, () => p.output.join('').includes('worker started'), 90_000, p),
      ),
    ]);
  } catch (e) {
    await stopAll();
    throw e;
  }
  const startupMs = Date.now() - started;
  const proxy = startProxy(() => apis);
  const proxyPort = await freePort();
  await new Promise<void>((r) => proxy.server.listen(proxyPort, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${proxyPort}`,
    apis,
    workers,
    records: proxy.records,
    startupMs,
    async kill(p) {
      p.killedAt = Date.now();
      p.child.kill('SIGKILL');
      await p.exited;
    },
    async stop() {
      proxy.server.closeAllConnections();
      await new Promise<void>((r) => proxy.server.close(() => r()));
      // SIGTERM: the graceful path an operator's restart takes.
      for (const p of all) if (p.child.exitCode === null) p.child.kill('SIGTERM');
      const force = setTimeout(() => void stopAll(), 20_000);
      await Promise.all(all.map((p) => p.exited));
      clearTimeout(force);
    },
  };
}
