import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Tests run the simulator from source: no build step between editing it and testing against it.
  resolve: {
    alias: {
      '@uni-manager/pve-sim': new URL('./packages/pve-sim/src/index.ts', import.meta.url).pathname,
      // The web's own imports (`@/lib/...`), for its few logic-only tests.
      '@': new URL('./apps/web', import.meta.url).pathname,
    },
  },
  test: {
    include: ['apps/api/src/**/*.test.ts', 'packages/*/src/**/*.test.ts', 'apps/web/lib/**/*.test.ts'],
    // Two cores: more parallel files only thrash PGlite's WASM start-up.
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
