/**
 * The simulated Proxmox servers of bench:reconcile, in a process of their
 * own (Proxmox runs on other machines: its work is not the platform's): one
 * simulator per state directory given, each loading the cluster written
 * there. Sends their connection details to the parent, and closes them all
 * when the parent disconnects.
 */
import { startSimulator, type RunningSimulator } from '../../packages/pve-sim/src/index.js';

export interface ClusterInfo {
  url: string;
  fingerprint: string;
  caPem: string;
  tokenId: string;
  tokenSecret: string;
  controlToken: string;
}

async function main() {
  const [seed, ...dirs] = process.argv.slice(2);
  const sims: RunningSimulator[] = [];
  const close = async () => {
    await Promise.all(sims.map((s) => s.close()));
    process.exit(0);
  };
  process.on('disconnect', () => void close());
  process.on('SIGTERM', () => void close());
  for (const [i, dir] of dirs.entries()) {
    sims.push(
      await startSimulator({
        stateDir: dir,
        persist: true,
        port: 0,
        authFailureDelayMs: 0,
        seed: Number(seed) + i,
        // Usage moves every 10 s, as pvestatd's; a tick during the cycle is part of real life.
        statsIntervalMs: 10_000,
      }),
    );
  }
  const info: ClusterInfo[] = sims.map((s) => ({
    url: s.url,
    fingerprint: s.fingerprint,
    caPem: s.caPem,
    tokenId: s.tokens.admin.id,
    tokenSecret: s.tokens.admin.secret,
    controlToken: s.controlToken,
  }));
  process.send!({ ready: info });
}

main().catch((e) => {
  process.stderr.write(`simulators failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
