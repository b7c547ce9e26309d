import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

// Unit and integration files mostly wait on sockets and child processes, not the CPU: two at a
// time even on CI's two cores (vitest's own default there is one, which made the suite run
// file after file: 415 s → 270 s for these two projects on a 2-core machine).
const SERVER_SIDE_WORKERS = Math.max(2, availableParallelism() - 1);

// One runner for every level: unit tests sit beside the code (*.test.ts), integration tests
// start a real listening server (tests/integration), end-to-end tests drive Debian's Chromium
// against the built app (tests/e2e).
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          maxWorkers: SERVER_SIDE_WORKERS,
          include: [
            'server/**/*.test.ts',
            'web/**/*.test.ts',
            'wire/**/*.test.ts',
            'contracts/**/*.test.ts',
            'shared/**/*.test.ts',
            'lessons/**/*.test.ts',
            'proto/**/*.test.ts',
            'tests/architecture/**/*.test.ts',
          ],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          maxWorkers: SERVER_SIDE_WORKERS,
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
          // one browser at a time, after the others: with two cores, two Chromiums (or one beside
          // the integration tests) each ran 1.5–2.5× slower, which saved nothing
          fileParallelism: false,
        },
      },
    ],
  },
});
