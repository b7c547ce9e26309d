import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { configDefaults, defineConfig } from 'vitest/config';
import LongestFirstSequencer from './tests/file-order.ts';

// How many end-to-end files run at once: the cores less one, and two on CI's two cores (vitest's own
// default there is one, which made the suite run file after file: 415 s → 270 s for the unit and
// integration projects). Chromium keeps both cores busy while they run (94 % on 27 Nov), and three
// at once on two cores was no shorter (1,389 s, the files' summed time up by a quarter) and made
// the restart and reload tests wait past their limits.
const FILES_AT_ONCE = Math.max(2, availableParallelism() - 1);
// The integration and unit files run after the end-to-end ones, in a group of their own (vitest 4
// runs projects of one group in one pool, so projects that differ in maxWorkers need groups of
// their own): twice as many at once. Much of an integration file is waiting (a silent server's
// timeout, a Go or Python client's start, a reconnect): two at a time kept two cores 56 % busy
// (the integration project alone on the 2-core development machine, 350 s, 27 Nov), three 79 %
// (the group alone, 338 s), four 88–90 % (292 s). Four waited until "check my server" let a
// WebSocket's server set it up before acting (server/own-server/README.md, "Waiting for events"):
// at load 7–8 it failed a correct starter (tests/README.md, "Where CI's time goes").
const WAITING_FILES_AT_ONCE = FILES_AT_ONCE * 2;
const END_TO_END_GROUP = 0;
const WAITING_GROUP = 1;

// the unit tests sit beside the code in these folders, and a few in tests/ itself
const UNIT_FOLDERS = ['server', 'web', 'wire', 'contracts', 'shared', 'lessons', 'proto', 'tests/architecture'];
const UNIT_TESTS = [...UNIT_FOLDERS.map((folder) => `${folder}/**/*.test.ts`), 'tests/*.test.ts'];

/**
 * What a test file does to the worker it runs in that would reach the next file if they shared
 * it: a module mocked or the module registry reset, a global or an environment variable stubbed,
 * a listener on the process, a variable of process.env set. A file that needs modules no file
 * before it has loaded or used says so in a line comment of its own, `// Runs isolated`, with why.
 */
const CHANGES_ITS_WORKER =
  /\bvi\.(?:mock|doMock|unmock|resetModules|stubGlobal|stubEnv)\(|\bprocess\.(?:on|once|addListener|prependListener)\(|\bprocess\.env(?:\.\w+|\[[^\]]+\])\s*=[^=]|^\/\/ Runs isolated\b/m;

/** The unit test files that change their worker, found by reading them: a new one is never missed. */
function unitTestsThatChangeTheirWorker(): string[] {
  const root = import.meta.dirname;
  const files = [
    ...UNIT_FOLDERS.flatMap((folder) => (readdirSync(join(root, folder), { recursive: true }) as string[]).map((name) => `${folder}/${name}`)),
    ...readdirSync(join(root, 'tests')).map((name) => `tests/${name}`),
  ];
  return files.filter((file) => file.endsWith('.test.ts') && CHANGES_ITS_WORKER.test(readFileSync(join(root, file), 'utf8'))).sort();
}
const UNIT_TESTS_THAT_CHANGE_THEIR_WORKER = unitTestsThatChangeTheirWorker();

// One runner for every level: unit tests sit beside the code (*.test.ts), integration tests
// start a real listening server (tests/integration), end-to-end tests drive Debian's Chromium
// against the built app (tests/e2e).
export default defineConfig({
  test: {
    // the default report, then the suite's slowest 20 files (CI must stay under 20 minutes)
    reporters: ['default', './tests/slowest-files-reporter.ts'],
    // each group's longest files first, by the last run's durations or else the committed ones
    // (tests/file-order.ts): on a fresh clone vitest would order them by size
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: WAITING_GROUP },
          maxWorkers: WAITING_FILES_AT_ONCE,
          include: UNIT_TESTS,
          exclude: [...configDefaults.exclude, ...UNIT_TESTS_THAT_CHANGE_THEIR_WORKER],
          environment: 'node',
          // a decoder layer's download a file started ends before the file does (the file says why)
          setupFiles: ['./tests/settle-lazy-layers.ts'],
          // the files share their worker: a module the unit tests import is loaded once a worker,
          // not once a file, and most of the unit project's time was those imports. The few that
          // mock modules, reset them, stub globals or listen on the process run isolated (below).
          isolate: false,
        },
      },
      {
        test: {
          name: 'unit-isolated',
          sequence: { groupOrder: WAITING_GROUP },
          maxWorkers: WAITING_FILES_AT_ONCE,
          include: UNIT_TESTS_THAT_CHANGE_THEIR_WORKER,
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          sequence: { groupOrder: WAITING_GROUP },
          maxWorkers: WAITING_FILES_AT_ONCE,
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 20_000,
          hookTimeout: 30_000,
          // a file's tests marked concurrent run five at a time (vitest's default): ten at once
          // starved the worker's event loop on a loaded machine (a whole-project run at load ~30:
          // a wait for an event in a check, then 1.5 s, ran out, and a check wrongly failed)
          maxConcurrency: 5,
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
          sequence: { groupOrder: END_TO_END_GROUP },
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 60_000,
          // expect.poll waits as long as for an element that comes with a page load (LIVE,
          // tests/e2e/lesson-page.ts), not its own 1 s: a reloaded page's editor took longer on a
          // busy machine (everyday-friction, "keep their text across a reload")
          expect: { poll: { timeout: 15_000 } },
          // a file's tests marked concurrent (those that mostly wait: realtime-consoles, graphql-lesson,
          // grpc-cell-messages, unchanged-consoles) run two at a time, each in a browser profile of its
          // own: five of realtime-consoles' pages at once starved Chromium's renderers at load ~25
          // (18 of its 20 tests ran past their limits; one after another they all passed at that load)
          maxConcurrency: 2,
          // the end-to-end files come first (their group), the longest first (tests/file-order.ts), on
          // CI's two cores two at a time (Chromium's renderers use the CPU most; tests/README.md,
          // "Where CI's time goes")
          maxWorkers: FILES_AT_ONCE,
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
