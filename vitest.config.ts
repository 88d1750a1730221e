import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    // Two cores: e2e files start real processes, so keep the number of files in flight small.
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // e2e tests spawn dist/; `npm test` builds first.
    reporters: ['default'],
  },
});
