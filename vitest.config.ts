import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql 16 ships ESM (.mjs, picked by Vite) and CJS (.js, picked by Node for
    // dependencies); one copy everywhere keeps instanceof checks and the schema sane.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    // Builds web/dist when it is missing or stale (the browser tests serve it).
    globalSetup: ['test/web/build-web-app.ts'],
    pool: 'forks',
    // Two files at a time: most tests wait on servers, processes and sockets, so a second
    // fork halves the wall time on 2 cores (one at a time: ~17 min on this VM).
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
