import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // Engine tests spawn child processes; two cores are shared between workers and children.
    maxWorkers: 2,
  },
});
