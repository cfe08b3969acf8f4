/** Puts the simulator together and starts it: `startSimulator(options)`. */
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { isIP } from 'node:net';
import type { SimContext } from './api/context.js';
import { allRoutes } from './api/routes.js';
import { IdentityStore, type RoleName, type TokenDef, type UserDef } from './auth/identities.js';
import { loadSecrets } from './auth/secrets.js';
import { TicketSigner } from './auth/tickets.js';
import { createSystemClock } from './clock.js';
import { createControl, type SimulatorControl } from './control/control.js';
import { createControlApi } from './control/control-api.js';
import { Faults } from './faults/faults.js';
import { ApiPipeline } from './http/pipeline.js';
import { Router } from './http/router.js';
import { createHttpsServer } from './http/server.js';
import { ClusterModel } from './model/cluster.js';
import { buildCluster, resolveNodes } from './model/seed.js';
import { DEFAULT_DURATIONS, DEFAULT_TEMPLATES, silentLogger, type SimulatorOptions } from './options.js';
import { StateStore, type PersistedState } from './persist/state-store.js';
import { createRandom } from './random.js';
import { TaskManager } from './tasks/task-manager.js';
import { VmLocks } from './tasks/vm-locks.js';
import { loadOrCreateTls } from './tls/certs.js';
import { UsageModel } from './usage/usage.js';
import { ConsoleSessions } from './vnc/sessions.js';
import { createConsoleGateway } from './vnc/websocket.js';

export interface TokenInfo {
  /** `user@realm!tokenname` */
  id: string;
  secret: string;
  /** The complete Authorization header value: `PVEAPIToken=<id>=<secret>`. */
  header: string;
}

export interface RunningSimulator {
  /** `https://<host>:<port>` */
  url: string;
  /** `https://<host>:<port>/api2/json` */
  apiUrl: string;
  host: string;
  port: number;
  /** SHA-256 of the node certificate, `AA:BB:…`, as Proxmox shows it. */
  fingerprint: string;
  /** The cluster CA (pve-root-ca.pem), for clients that verify the chain. */
  caPem: string;
  caPath: string;
  stateDir: string;
  clusterName: string;
  nodes: string[];
  tokens: { admin: TokenInfo; readonly: TokenInfo };
  /** Password of root@pam, for POST /access/ticket. */
  rootPassword: string;
  /** Bearer token of the /_sim control endpoint. */
  controlToken: string;
  control: SimulatorControl;
  /** Stops the server and every task and timer; saves the state when persisting. */
  close(): Promise<void>;
}

const DEFAULT_ADMIN_TOKEN = 'root@pam!uni-manager';
const DEFAULT_READONLY_TOKEN = 'audit@pve!readonly';

function tokenInfo(id: string, secret: string): TokenInfo {
  return { id, secret, header: `PVEAPIToken=${id}=${secret}` };
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const log = options.logger ?? silentLogger;
  const ephemeral = !options.stateDir;
  const stateDir = options.stateDir ? path.resolve(options.stateDir) : mkdtempSync(path.join(tmpdir(), 'pve-sim-'));
  mkdirSync(stateDir, { recursive: true });
  const cleanupDir = () => {
    if (ephemeral) rmSync(stateDir, { recursive: true, force: true });
  };

  try {
    const clock = options.clock ?? createSystemClock(options.timeScale ?? 1);
    const random = createRandom(options.seed);
    const host = options.host ?? '127.0.0.1';
    const secrets = loadSecrets(stateDir, {
      adminTokenSecret: options.tokens?.admin?.secret,
      readonlyTokenSecret: options.tokens?.readonly?.secret,
      rootPassword: options.rootPassword,
      controlToken: options.controlToken,
    });
    const adminId = options.tokens?.admin?.id ?? DEFAULT_ADMIN_TOKEN;
    const readonlyId = options.tokens?.readonly?.id ?? DEFAULT_READONLY_TOKEN;
    for (const id of [adminId, readonlyId]) {
      if (!/^[^\s:/!@]+@[A-Za-z][A-Za-z0-9.\-_]+![A-Za-z][A-Za-z0-9.\-_]+$/.test(id))
        throw new Error(`invalid token id '${id}'`);
    }
    const users = new Map<string, UserDef>([
      ['root@pam', { userid: 'root@pam', password: secrets.rootPassword, role: 'Administrator' }],
      ['audit@pve', { userid: 'audit@pve', role: 'PVEAuditor' }],
    ]);
    const tokenUser = (id: string, role: RoleName) => {
      const userid = id.slice(0, id.indexOf('!'));
      if (!users.has(userid)) users.set(userid, { userid, role });
    };
    tokenUser(adminId, 'Administrator');
    tokenUser(readonlyId, 'PVEAuditor');
    const tokens: TokenDef[] = [
      { tokenid: adminId, secret: secrets.adminTokenSecret, role: 'Administrator' },
      { tokenid: readonlyId, secret: secrets.readonlyTokenSecret, role: 'PVEAuditor' },
    ];
    const identities = new IdentityStore([...users.values()], tokens);

    const extraNames = [...(options.hostnames ?? [])];
    if (host !== '0.0.0.0' && host !== '::') extraNames.push(host);
    const tls = await loadOrCreateTls(stateDir, extraNames);

    const store = options.persist ? new StateStore(path.join(stateDir, 'cluster.json'), { log }) : undefined;
    const saved = store?.load();
    const snapshot =
      saved?.cluster ??
      buildCluster({
        clusterName: options.clusterName ?? 'uni-cluster',
        nodes: resolveNodes(options.nodes),
        templates: options.templates ?? DEFAULT_TEMPLATES,
        now: clock.now(),
        random,
      });
    if (saved) log.info(`loaded ${snapshot.vms.length} VMs from ${store?.file}`);

    const model = new ClusterModel(snapshot);
    const faults = new Faults(random, options.faults);
    const locks = new VmLocks(clock);
    const tasks = new TaskManager({ clock, random, faults, model, locks });
    if (saved) tasks.load(saved.tasks);
    const durations = { ...DEFAULT_DURATIONS, ...options.durations };
    const usage = new UsageModel({ model, clock, random, intervalMs: options.statsIntervalMs ?? 10_000 });
    const consoles = new ConsoleSessions({ clock, connectTimeoutMs: () => durations.vncConnectTimeout });
    const ctx: SimContext = {
      model,
      tasks,
      locks,
      clock,
      random,
      faults,
      identities,
      tickets: new TicketSigner(secrets.authKey, () => clock.now()),
      usage,
      consoles,
      durations,
      tls: { caPem: tls.caPem, fingerprint: tls.fingerprint },
      log,
    };

    if (store) {
      const persist = () =>
        store.schedule((): PersistedState => ({
          version: 1,
          savedAt: clock.now(),
          cluster: model.toJSON(),
          tasks: tasks.toJSON(),
        }));
      model.onChange(persist);
      tasks.onChange(persist);
      persist();
    }

    const control = createControl(ctx);
    const pipeline = new ApiPipeline({
      ctx,
      router: new Router(allRoutes),
      authFailureDelayMs: options.authFailureDelayMs ?? 3000,
    });
    const gateway = createConsoleGateway({ ctx, pipeline, vncAuth: options.vncAuth ?? 'vnc' });
    const server = createHttpsServer({
      key: tls.keyPem,
      cert: tls.certPem,
      pipeline,
      control: createControlApi(control, secrets.controlToken),
      upgrade: (req, socket, head) => gateway.handleUpgrade(req, socket, head),
      clock,
      log,
      logRequests: options.logRequests,
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port ?? 8006, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    usage.start();
    const port = (server.address() as AddressInfo).port;
    const urlHost = host === '0.0.0.0' || host === '::' ? 'localhost' : isIP(host) === 6 ? `[${host}]` : host;
    const url = `https://${urlHost}:${port}`;
    log.info(`listening on ${url}`);

    let closing: Promise<void> | undefined;
    const close = () => {
      closing ??= (async () => {
        usage.stop();
        consoles.closeAll();
        gateway.close();
        await tasks.stopAll();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
        clock.dispose();
        store?.flush();
        cleanupDir();
      })();
      return closing;
    };

    return {
      url,
      apiUrl: `${url}/api2/json`,
      host,
      port,
      fingerprint: tls.fingerprint,
      caPem: tls.caPem,
      caPath: tls.caPath,
      stateDir,
      clusterName: model.clusterName,
      nodes: model.nodeNames(),
      tokens: {
        admin: tokenInfo(adminId, secrets.adminTokenSecret),
        readonly: tokenInfo(readonlyId, secrets.readonlyTokenSecret),
      },
      rootPassword: secrets.rootPassword,
      controlToken: secrets.controlToken,
      control,
      close,
    };
  } catch (err) {
    cleanupDir();
    throw err;
  }
}
