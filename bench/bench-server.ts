// The server under benchmark, in its own process so the load generator does not share its
// event loop. Prints its port on stdout once listening.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../server/app.ts';

const tapOff = process.argv.includes('--no-tap');
const app = await buildApp({
  dataFile: join(mkdtempSync(join(tmpdir(), 'wirelab-bench-')), 'bench.sqlite'),
  // bench/inspector-stream.ts drives the built app in Chromium; the others need no web app.
  webRoot: process.argv.includes('--web') ? join(import.meta.dirname, '..', 'dist', 'web') : null,
  tap: tapOff ? false : {},
  rateLimit: false,
  // bench/classroom.ts: a known teacher key, and a thousand joins from one address
  classroom: { teacherKey: 'bench-teacher-key', joinLimit: { max: 1e9, windowMs: 60_000 }, progressLimit: { max: 1e9, windowMs: 60_000 } },
});
await app.listen({ port: 0, host: '127.0.0.1' });
const address = app.server.address();
process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
process.on('SIGINT', () => void app.close().then(() => process.exit(0)));
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
// bench/websocket-idle.ts asks for the heap after a full collection (run with --expose-gc).
process.on('message', (message: { type?: string }) => {
  if (message.type !== 'memory' || !process.send) return;
  (globalThis as { gc?: () => void }).gc?.();
  process.send({ type: 'memory', usage: process.memoryUsage() });
});
