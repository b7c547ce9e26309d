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
          // a file's tests marked concurrent all start at once (vitest's default is five): the ten
          // protocols' suites against a silent server each wait 5 s, on timers, not the CPU
          maxConcurrency: 10,
          // the files share their worker, as the end-to-end ones do: the server's modules are
          // imported once a worker, not once a file (2–3 s of CPU each, some 250 s a run on CI's
          // two cores); each file still builds its own server. No file here mocks a module or
          // changes process.env, which sharing would carry into the next file.
          isolate: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // vitest runs as many files at once as the machine has cores, slowest first: on CI's two
          // cores the end-to-end files come first, two at a time, and keep both cores busy
          // (Chromium's renderers most of all; tests/README.md, "Where CI's time goes").
          maxWorkers: 2,
          // the files share their worker: the server's modules are imported once, not once per
          // file (0.1–0.2 s a file instead of 2–4 s), and one Chromium serves them all
          // (tests/e2e/browser.ts); each file still starts its own server and browser profiles
          isolate: false,
          env: { WIRELAB_E2E_SHARED_BROWSER: '1' },
        },
      },
    ],
  },
});
