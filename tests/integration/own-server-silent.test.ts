// A server that accepts connections and never answers (issue 38, item 4): every suite stops at
// the first connection that gets not one byte, says so, and fails the rest as not run — a few
// seconds, not a minute. (The wall-clock time with the CLI is measured by hand: README.)
import { createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { CHECKED_PROTOCOLS } from '../../contracts/own-server/check-result.ts';
import { checkAsLoopbackStudent } from './own-server-starters.ts';

describe('a silent server', () => {
  let server: Server;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  // The ten suites run side by side, five at a time (the project's maxConcurrency): each spends
  // its time waiting out its one silent check (5 s), not on the CPU, so one after another they
  // were some 50 s of a worker's time, side by side about two waits.
  for (const protocol of CHECKED_PROTOCOLS) {
    it.concurrent(`${protocol}: stops at the first connection that never answers, every check failed`, async ({ expect }) => {
      const report = await checkAsLoopbackStudent(protocol, (server.address() as AddressInfo).port);
      expect(report.reachable).toBe(true);
      expect(report.neverAnswered?.en).toBeTruthy();
      expect(report.counts.failed).toBe(report.results.length);
      // at most the check that met the silence waited for it; the others were not run
      const waited = report.results.filter((result) => !result.difference?.en.startsWith('Not run'));
      expect(waited.length).toBeLessThanOrEqual(1);
      expect(report.results.filter((result) => result.difference?.ru.includes('ни байта')).length).toBe(report.results.length);
    });
  }
});
