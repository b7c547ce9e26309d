import { defineConfig } from 'vitest/config';

// One runner for every level: unit tests sit beside the code (*.test.ts), integration tests
// start a real listening server (tests/integration), end-to-end tests drive Debian's Chromium
// against the built app (tests/e2e).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['server/**/*.test.ts', 'web/**/*.test.ts', 'shared/**/*.test.ts', 'lessons/**/*.test.ts', 'proto/**/*.test.ts', 'tests/architecture/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // one browser at a time: CI has two cores
          fileParallelism: false,
        },
      },
    ],
  },
});
