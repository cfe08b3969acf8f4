#!/usr/bin/env node
// `npm start`: install what is missing, build what is stale, then run the API
// (which migrates its database and creates the first admin) and the web, and
// stop both on Ctrl-C or SIGTERM.
import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { addDemoTemplates, registerDemoCluster, startDemoCluster } from './demo-cluster.mjs';
import { startEdgeProxy } from './edge-proxy.mjs';
import {
  ROOT,
  bold,
  buildStale,
  checkNode,
  dim,
  ensureDependencies,
  fail,
  green,
  portFree,
  red,
  startChild,
  step,
  stopChildren,
  waitFor,
  yellow,
} from './lib.mjs';

checkNode();
const apiPort = Number(process.env.PORT ?? 8000);
const webPort = Number(process.env.WEB_PORT ?? 3000);
// Next listens privately; the edge proxy owns the public port (see edge-proxy.mjs).
const nextPort = Number(process.env.WEB_INTERNAL_PORT ?? webPort + 1);
const webHost = process.env.WEB_HOST ?? '127.0.0.1';
const dataDir = path.resolve(ROOT, process.env.DATA_DIR ?? 'data');
const publicUrl = process.env.PUBLIC_URL ?? `http://localhost:${webPort}`;

for (const [name, port] of [
  ['API', apiPort],
  ['web', webPort],
]) {
  if (!(await portFree(port)))
    fail(
      `Port ${port} (${name}) is already in use. Stop what uses it, or set ${name === 'API' ? 'PORT' : 'WEB_PORT'}.`,
    );
}

ensureDependencies();
buildStale();

mkdirSync(path.join(dataDir, 'logs'), { recursive: true });
const apiLogFile = path.join(dataDir, 'logs', 'api.log');
const apiLog = createWriteStream(apiLogFile, { flags: 'a' });
const webLog = createWriteStream(path.join(dataDir, 'logs', 'web.log'), { flags: 'a' });

const children = [];
let edge;
let stopping = false;
async function shutdown(code) {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`\n${dim('Stopping…')}\n`);
  await edge?.close();
  await stopChildren(children);
  apiLog.end();
  webLog.end();
  process.exit(code);
}
process.on('SIGINT', () => void shutdown(0));
process.on('SIGTERM', () => void shutdown(0));

const LEVELS = { 40: yellow('warn'), 50: red('error'), 60: red('fatal') };
/** The API logs JSON for machines; the terminal gets the banner and what needs a human. */
function relayApi(stream) {
  createInterface({ input: stream }).on('line', (line) => {
    apiLog.write(line + '\n');
    if (!line.startsWith('{')) return process.stdout.write(line + '\n');
    try {
      const entry = JSON.parse(line);
      if (entry.level >= 40)
        process.stdout.write(
          `${LEVELS[entry.level] ?? 'log'} ${entry.msg}${entry.err?.message ? `: ${entry.err.message}` : ''}\n`,
        );
    } catch {
      process.stdout.write(line + '\n');
    }
  });
}

// The demo cluster: a Proxmox simulator, so there is something to manage at once.
const demo = process.env.DEMO_CLUSTER !== 'false';
const demoPort = Number(process.env.DEMO_CLUSTER_PORT ?? 8006);
if (demo) {
  if (!(await portFree(demoPort)))
    fail(`Port ${demoPort} (demo cluster) is already in use. Set DEMO_CLUSTER_PORT, or DEMO_CLUSTER=false.`);
  step('Starting the demo Proxmox cluster (simulated)…');
  const simLog = createWriteStream(path.join(dataDir, 'logs', 'demo-cluster.log'), { flags: 'a' });
  try {
    const { child, info } = await startDemoCluster({ dataDir, port: demoPort, log: simLog });
    children.push(child);
    child.on(
      'exit',
      (code) => !stopping && (process.stderr.write(red(`The demo cluster stopped (exit ${code})\n`)), void shutdown(1)),
    );
    step('Migrating the database and registering the demo cluster…');
    const said = registerDemoCluster({
      info,
      env: { DATA_DIR: dataDir, NODE_ENV: process.env.NODE_ENV ?? 'development', LOG_LEVEL: 'warn' },
    });
    if (said) process.stdout.write(dim(`  ${said}\n`));
    try {
      const added = addDemoTemplates({
        env: { DATA_DIR: dataDir, NODE_ENV: process.env.NODE_ENV ?? 'development', LOG_LEVEL: 'warn' },
      });
      if (added) process.stdout.write(dim(`  ${added.replaceAll('\n', '\n  ')}\n`));
    } catch (e) {
      // Templates are a convenience of the demo: without them the product still starts.
      process.stderr.write(yellow(`The demo templates could not be added: ${e.message}\n`));
    }
  } catch (e) {
    process.stderr.write(red(`The demo cluster could not start: ${e.message}\n`));
    await shutdown(1);
  }
}

step('Starting the API (migrating the database if needed)…');
const api = startChild('API', process.execPath, ['apps/api/dist/main.js', 'serve'], {
  env: {
    PORT: String(apiPort),
    DATA_DIR: dataDir,
    PUBLIC_URL: publicUrl,
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    // With the demo cluster, every new account gets 100 credits to try it with; set INITIAL_CREDITS to change that.
    ...(demo && process.env.INITIAL_CREDITS === undefined ? { INITIAL_CREDITS: '1000000' } : {}),
  },
});
children.push(api);
relayApi(api.stdout);
relayApi(api.stderr);

for (const c of [api])
  c.on(
    'exit',
    (code) =>
      !stopping &&
      (process.stderr.write(red(`The ${c.name} stopped unexpectedly (exit ${code}); see ${apiLogFile}\n`)),
      void shutdown(1)),
  );

try {
  await waitFor(`http://127.0.0.1:${apiPort}/api/v1/health/ready`, { child: api, name: 'API', timeoutMs: 90_000 });
} catch (e) {
  process.stderr.write(red(`${e.message}\n`));
  await shutdown(1);
}

step('Starting the web front end…');
const web = startChild(
  'web',
  process.execPath,
  [path.join(ROOT, 'node_modules/next/dist/bin/next'), 'start', '-H', '127.0.0.1', '-p', String(nextPort)],
  {
    cwd: path.join(ROOT, 'apps/web'),
    env: { NEXT_TELEMETRY_DISABLED: '1', API_INTERNAL_URL: `http://127.0.0.1:${apiPort}`, NODE_ENV: 'production' },
  },
);
children.push(web);
web.stdout.pipe(webLog);
web.stderr.on('data', (d) => {
  webLog.write(d);
  process.stderr.write(d);
});
web.on(
  'exit',
  (code) => !stopping && (process.stderr.write(red(`The web stopped unexpectedly (exit ${code})\n`)), void shutdown(1)),
);

try {
  await waitFor(`http://127.0.0.1:${nextPort}/login`, { child: web, name: 'web', timeoutMs: 60_000 });
} catch (e) {
  process.stderr.write(red(`${e.message}\n`));
  await shutdown(1);
}

try {
  edge = await startEdgeProxy({
    host: webHost,
    port: webPort,
    api: { host: '127.0.0.1', port: apiPort },
    web: { host: '127.0.0.1', port: nextPort },
  });
} catch (e) {
  process.stderr.write(red(`cannot listen on ${webHost}:${webPort}: ${e.message}\n`));
  await shutdown(1);
}

process.stdout.write(`
${green('✓')} ${bold('Uni-Manager is running.')}

  Open          ${bold(publicUrl)}  and sign in as the administrator
                (its password was printed above on the very first start)
                ${webHost === '127.0.0.1' ? dim('only from this machine; set WEB_HOST=0.0.0.0 to open it to your network') : ''}
  API           http://127.0.0.1:${apiPort}/api/v1   ·   docs: http://127.0.0.1:${apiPort}/api/v1/docs
  Data          ${dataDir}   ·   logs: ${path.join(dataDir, 'logs')}${demo ? `\n  Demo cluster  https://127.0.0.1:${demoPort} (a simulated Proxmox VE; DEMO_CLUSTER=false to leave it out)` : ''}

  Press Ctrl-C to stop.
`);
