import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/edge/**/*.edge.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
});
