import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './start-server.ts';

// Clients nobody here wrote: Debian's python3-requests and python3-websockets (.ci/run
// installs them) against /graphql, the subscription fed by a post created over REST.
const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./interop/graphql_interop.py', import.meta.url));

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

describe('python3-requests and python3-websockets as the clients', () => {
  it('a query over HTTP/1.1, then a graphql-transport-ws subscription that gets a REST post', async () => {
    const sandbox = `gql-py-${process.pid}`;
    const started = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the Python subscription never started')), 15_000);
      const onStarted = (_field: string, startedIn: string) => {
        if (startedIn !== sandbox) return;
        clearTimeout(timer);
        server.app.graphqlSubscriptions.off('started', onStarted);
        resolve();
      };
      server.app.graphqlSubscriptions.on('started', onStarted);
    });
    const child = spawn(PYTHON, [SCRIPT, server.origin, sandbox]);
    let stderr = '';
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const next = async () => {
      const line = await lines.next();
      if (line.done) throw new Error(`the Python client exited: ${stderr}`);
      return JSON.parse(line.value);
    };
    try {
      expect(await next()).toEqual({
        query: { status: 200, type: 'application/graphql-response+json; charset=utf-8', body: { data: { user: { name: 'Barbara Liskov' } }, extensions: expect.any(Object) } },
      });
      expect(await next()).toEqual({ acked: true });
      await started;
      const created = await fetch(`${server.origin}/api/v1/posts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-wirelab-sandbox': sandbox },
        body: JSON.stringify({ author_id: 8, title: 'Data abstraction', content: 'From REST to Python.' }),
      });
      expect(created.status).toBe(201);
      expect(await next()).toEqual({ next: { data: { postAdded: { title: 'Data abstraction', author: { name: 'Barbara Liskov' } } } } });
    } finally {
      child.kill();
    }
  });
});
