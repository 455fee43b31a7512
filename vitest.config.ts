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
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
