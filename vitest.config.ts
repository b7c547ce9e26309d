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
    // the default report, then the suite's slowest 20 files (CI must stay under 20 minutes)
    reporters: ['default', './tests/slowest-files-reporter.ts'],
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
            'tests/*.test.ts',
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
          // Two files at a time: an end-to-end file mostly waits (on pages, sockets and the
          // server's timers: 185 s of CPU in 47 min of one file after another on a loaded
          // machine), so on CI it was the long pole, one file after another for most of the run.
          maxWorkers: 2,
          // the files share their worker: the server's modules are imported once, not once per
          // file (about 4 s a file), and one Chromium serves them all (tests/e2e/browser.ts);
          // each file still starts its own server and its own browser profiles
          isolate: false,
          env: { WIRELAB_E2E_SHARED_BROWSER: '1' },
        },
      },
    ],
  },
});
