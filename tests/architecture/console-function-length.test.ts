// The realtime consoles and the comparison lab were 180–375-line components repeating one
// toolbar, log and draft pattern (issue 23); they are now composed of web/editors/console-kit/.
// The gRPC and GraphQL cells (358 and 241 lines in one function) were split the same way: a hook
// that owns the calls and a component of small parts. This keeps them all so: no function, arrow or
// method in their folders over 150 lines.
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { longFunctions, ROOT, sourceFiles } from './function-lengths.ts';

const FOLDERS = ['console-kit', 'websocket', 'socket-io', 'sse', 'long-polling', 'mqtt', 'pipeline', 'grpc', 'graphql']
  .map((name) => `web/editors/${name}`)
  .concat('web/compare', 'web/classroom', 'server/classroom');
const MAX_FUNCTION_LINES = 150;

it(`no function of the consoles or the comparison lab is over ${MAX_FUNCTION_LINES} lines`, () => {
  const files = FOLDERS.flatMap((folder) => sourceFiles(join(ROOT, folder)));
  expect(files.length).toBeGreaterThan(20);
  expect(files.flatMap((file) => longFunctions(file, MAX_FUNCTION_LINES))).toEqual([]);
  // parsing a few hundred files takes seconds on a loaded machine: not a speed test
}, 60_000);

it('finds a long function when there is one (the check can fail)', () => {
  const file = join(ROOT, 'web/editors/mqtt/use-mqtt-client.ts');
  // useMqttClient is about 80 lines since its subscriptions and publish became hooks of their own
  expect(longFunctions(file, 50).some((line) => line.includes('useMqttClient'))).toBe(true);
});
