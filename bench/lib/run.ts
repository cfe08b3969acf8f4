/** How every benchmark ends: the verdict of its checks, and its resources released whatever happened. */
export function reportChecks(failures: readonly string[], out: (s: string) => void): void {
  if (failures.length) {
    out(`\n${failures.length} check(s) failed`);
    process.exitCode = 1;
  } else {
    out('\nall checks passed');
  }
}

/** Runs a benchmark's main, reports a crash as a failure, then closes what it opened, newest first. */
export function runBenchmark(name: string, main: () => Promise<void>, cleanup: (() => Promise<unknown>)[]): void {
  main()
    .catch((e) => {
      process.stderr.write(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    })
    .finally(async () => {
      for (const close of cleanup.reverse()) await close().catch(() => {});
    });
}
