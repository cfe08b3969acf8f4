import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Journeys start simulators from source, as the unit tests do: no build step in between.
  resolve: { alias: { '@uni-manager/pve-sim': new URL('../packages/pve-sim/src/index.ts', import.meta.url).pathname } },
  test: {
    include: ['e2e/**/*.e2e.ts'],
    globalSetup: ['e2e/global-setup.ts'],
    // One product instance, one browser: journeys run one after another.
    fileParallelism: false,
    maxWorkers: 1,
    testTimeout: 120_000,
    hookTimeout: 240_000,
    teardownTimeout: 60_000,
  },
});
