import os from 'node:os';

/** What the figures were measured on: they mean little without it. */
export function machineSummary(): string {
  const cpus = os.cpus();
  const model = cpus[0]?.model.trim() ?? 'unknown CPU';
  const memGiB = (os.totalmem() / 1024 ** 3).toFixed(0);
  return `${cpus.length} × ${model}, ${memGiB} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`;
}

/** Other work on the machine skews every figure; the load average says how much there was. */
export function loadSummary(): string {
  return `load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (1/5/15 min) on ${os.cpus().length} CPUs`;
}
