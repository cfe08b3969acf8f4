#!/usr/bin/env node
/**
 * uni-pve-sim: runs the simulator as a process and prints what to paste into Uni-Manager.
 *   uni-pve-sim --nodes 3 --port 8006 --state-dir ./data/pve-sim --time-scale 1 --config sim.json --persist
 */
import { realpathSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import type { NodeOfflineMode } from './faults/faults.js';
import { readConfigFile, type Logger, type SimulatorOptions } from './options.js';
import { startSimulator, type RunningSimulator } from './simulator.js';

const HELP = `Usage: uni-pve-sim [options]

A Proxmox VE API simulator for Uni-Manager: HTTPS on /api2/json, tokens and tickets, tasks,
clones, snapshots, a VNC console, and fault injection on /_sim.

Options:
  --nodes <n|names>          node count (pve1..pveN) or comma-separated names   [3]
  --port <port>              HTTPS port (0 = any free port)                      [8006]
  --host <address>           listen address                                      [127.0.0.1]
  --hostname <name>          extra certificate name (repeatable)
  --state-dir <dir>          certificates, secrets and saved state               [./data/pve-sim]
  --persist                  keep the cluster in <state-dir>/cluster.json across restarts
  --config <file.json>       options as JSON (flags win over the file)
  --time-scale <factor>      multiply task durations (0.1 = ten times faster)    [1]
  --stats-interval <ms>      usage statistics period, simulated ms               [10000]
  --auth-delay <ms>          delay of 401 answers                                [3000]
  --cluster-name <name>      cluster name                                        [uni-cluster]
  --seed <n>                 seed for faults and usage
  --vnc-auth <vnc|none>      console security type                               [vnc]
  --admin-token-id <id>      full-privilege token id                             [root@pam!uni-manager]
  --admin-token-secret <s>   its secret (default: generated once, kept in state dir)
  --readonly-token-id <id>   read-only token id                                  [audit@pve!readonly]
  --readonly-token-secret <s>
  --root-password <pw>       root@pam password for tickets
  --control-token <token>    bearer token of the /_sim control endpoint
  --latency <ms>             fault: added latency per API call
  --error-rate <0..1>        fault: fraction of API calls answered with 500
  --task-failure-rate <0..1> fault: fraction of tasks that fail
  --offline <node[:mode]>    fault: node unreachable, mode refuse|hang (repeatable)
  --json                     print the connection details as one JSON line
  --log-requests             log every API request
  --quiet                    no log output
  -h, --help                 this help
`;

function num(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`--${name} needs a number, got '${value}'`);
  return n;
}

export function parseCli(argv: string[]): { options: SimulatorOptions; json: boolean; quiet: boolean; help: boolean } {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      nodes: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      hostname: { type: 'string', multiple: true },
      'state-dir': { type: 'string' },
      persist: { type: 'boolean' },
      config: { type: 'string' },
      'time-scale': { type: 'string' },
      'stats-interval': { type: 'string' },
      'auth-delay': { type: 'string' },
      'cluster-name': { type: 'string' },
      seed: { type: 'string' },
      'vnc-auth': { type: 'string' },
      'admin-token-id': { type: 'string' },
      'admin-token-secret': { type: 'string' },
      'readonly-token-id': { type: 'string' },
      'readonly-token-secret': { type: 'string' },
      'root-password': { type: 'string' },
      'control-token': { type: 'string' },
      latency: { type: 'string' },
      'error-rate': { type: 'string' },
      'task-failure-rate': { type: 'string' },
      offline: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      'log-requests': { type: 'boolean' },
      quiet: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const file = values.config ? readConfigFile(values.config) : {};
  const o: SimulatorOptions = { ...file };
  if (values.nodes !== undefined)
    o.nodes = /^\d+$/.test(values.nodes) ? Number(values.nodes) : values.nodes.split(',').map((s) => s.trim());
  if (values.port !== undefined) o.port = num('port', values.port);
  if (values.host !== undefined) o.host = values.host;
  if (values.hostname) o.hostnames = [...(o.hostnames ?? []), ...values.hostname];
  o.stateDir = values['state-dir'] ?? o.stateDir ?? path.resolve('data/pve-sim');
  if (values.persist) o.persist = true;
  if (values['time-scale'] !== undefined) o.timeScale = num('time-scale', values['time-scale']);
  if (values['stats-interval'] !== undefined) o.statsIntervalMs = num('stats-interval', values['stats-interval']);
  if (values['auth-delay'] !== undefined) o.authFailureDelayMs = num('auth-delay', values['auth-delay']);
  if (values['cluster-name'] !== undefined) o.clusterName = values['cluster-name'];
  if (values.seed !== undefined) o.seed = num('seed', values.seed);
  if (values['vnc-auth'] !== undefined) {
    if (values['vnc-auth'] !== 'vnc' && values['vnc-auth'] !== 'none')
      throw new Error('--vnc-auth must be vnc or none');
    o.vncAuth = values['vnc-auth'];
  }
  const token = (kind: 'admin' | 'readonly', id?: string, secret?: string) => {
    if (id === undefined && secret === undefined) return;
    o.tokens = { ...o.tokens, [kind]: { ...o.tokens?.[kind], ...(id ? { id } : {}), ...(secret ? { secret } : {}) } };
  };
  token('admin', values['admin-token-id'], values['admin-token-secret']);
  token('readonly', values['readonly-token-id'], values['readonly-token-secret']);
  if (values['root-password'] !== undefined) o.rootPassword = values['root-password'];
  if (values['control-token'] !== undefined) o.controlToken = values['control-token'];
  const faults = { ...o.faults };
  if (values.latency !== undefined) faults.latencyMs = num('latency', values.latency);
  if (values['error-rate'] !== undefined) faults.errorRate = num('error-rate', values['error-rate']);
  if (values['task-failure-rate'] !== undefined)
    faults.taskFailureRate = num('task-failure-rate', values['task-failure-rate']);
  for (const spec of values.offline ?? []) {
    const [node, mode = 'refuse'] = spec.split(':');
    if (!node || (mode !== 'refuse' && mode !== 'hang'))
      throw new Error(`--offline expects node[:refuse|hang], got '${spec}'`);
    faults.offlineNodes = { ...faults.offlineNodes, [node]: mode as NodeOfflineMode };
  }
  if (Object.keys(faults).length > 0) o.faults = faults;
  if (values['log-requests']) o.logRequests = true;
  return { options: o, json: !!values.json, quiet: !!values.quiet, help: !!values.help };
}

export function banner(sim: RunningSimulator, persisted: boolean): string {
  const rows: [string, string][] = [
    ['URL', sim.url],
    ['API token (admin)', sim.tokens.admin.id],
    ['Token secret', sim.tokens.admin.secret],
    ['Read-only token', sim.tokens.readonly.id],
    ['Read-only secret', sim.tokens.readonly.secret],
    ['root@pam password', sim.rootPassword],
    ['Fingerprint', sim.fingerprint],
    ['CA certificate', sim.caPath],
    ['Control endpoint', `${sim.url}/_sim  (Authorization: Bearer ${sim.controlToken})`],
    ['State', `${sim.stateDir} (${persisted ? 'persisted' : 'not persisted; use --persist to keep VMs'})`],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return [
    `Proxmox VE simulator: cluster '${sim.clusterName}', nodes ${sim.nodes.join(', ')}`,
    '',
    ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
    '',
    `  Authorization header: ${sim.tokens.admin.header}`,
    '',
    'Press Ctrl-C to stop.',
  ].join('\n');
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof parseCli>;
  try {
    parsed = parseCli(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`uni-pve-sim: ${(err as Error).message}\n\n${HELP}`);
    process.exit(2);
  }
  if (parsed.help) {
    process.stdout.write(HELP);
    return;
  }
  const stamp = () => new Date().toISOString();
  const logger: Logger = parsed.quiet
    ? { info() {}, warn() {}, error: (m) => process.stderr.write(`${stamp()} error ${m}\n`) }
    : {
        info: (m) => process.stderr.write(`${stamp()} info ${m}\n`),
        warn: (m) => process.stderr.write(`${stamp()} warn ${m}\n`),
        error: (m) => process.stderr.write(`${stamp()} error ${m}\n`),
      };
  const sim = await startSimulator({ ...parsed.options, logger });
  if (parsed.json) {
    const { control: _control, close: _close, ...info } = sim;
    process.stdout.write(`${JSON.stringify(info)}\n`);
  } else {
    process.stdout.write(`${banner(sim, !!parsed.options.persist)}\n`);
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: stopping`);
    sim.close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`uni-pve-sim: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

/** True when this file is the process entry point (directly or through the npm bin link). */
function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return pathToFileURL(realpathSync(entry)).href === import.meta.url;
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main().catch((err: unknown) => {
    process.stderr.write(`uni-pve-sim: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
