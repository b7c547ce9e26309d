import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './start-server.ts';

// The OpenAPI document against the routes Fastify really registered, read from Fastify's own
// listing (printRoutes), not from a list kept by hand: a route added anywhere under /api or /v1
// and left out of the document fails here.

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.close();
});

/** Every route Fastify holds, as "METHOD /path" pairs, from the tree printRoutes draws. */
function registeredRoutes(tree: string): Array<{ method: string; path: string }> {
  const routes: Array<{ method: string; path: string }> = [];
  const prefixes: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:│ {3}| {4})*)(?:├── |└── )(.*?)(?: \(([^)]*)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1].length / 4;
    prefixes.length = depth;
    const path = (prefixes[depth - 1] ?? '') + match[2];
    prefixes[depth] = path;
    for (const method of match[3]?.split(', ') ?? []) routes.push({ method, path });
  }
  return routes;
}

/** Fastify's `:name` parameters as OpenAPI's `{name}`. */
const openApiPath = (path: string) => path.replace(/:(\w+)/g, '{$1}');

describe('the OpenAPI document (/api/openapi.json)', () => {
  it('has an operation for every route under /api and /v1, or the route only answers 405', async () => {
    const document = (await (await fetch(`${server.origin}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    const routes = registeredRoutes(server.app.printRoutes({ commonPrefix: false })).filter(
      ({ method, path }) => /^\/(api|v1)\//.test(path) && method !== 'HEAD' && !path.endsWith('/openapi.json') && !path.endsWith('/asyncapi.json'),
    );
    // The listing is read right: the routes of every plugin are there.
    for (const path of ['/api/v1/users/:id', '/api/v1/events', '/api/v1/poll', '/api/v1/pipeline', '/v1/users']) {
      expect(routes.map((route) => route.path)).toContain(path);
    }
    const undocumented = routes.filter(({ method, path }) => !document.paths[openApiPath(path)]?.[method.toLowerCase()]);
    // What the document leaves out is no operation: it only says 405 Method Not Allowed (asked
    // with a browser session: the pipeline lab answers 403 to anyone without one, first).
    const cookie = (await fetch(`${server.origin}/_wirelab/session`)).headers.get('set-cookie')!.split(';')[0];
    for (const { method, path } of undocumented) {
      const response = await fetch(`${server.origin}${path.replace(/:\w+/g, '1')}`, {
        method,
        headers: { 'content-type': 'application/json', cookie },
        body: method === 'GET' ? undefined : '{}',
      });
      expect({ method, path, status: response.status }).toEqual({ method, path, status: 405 });
      await response.body?.cancel();
    }
    // and the routes beside the REST API are in it.
    for (const [path, method] of [
      ['/api/v1/events', 'get'],
      ['/api/v1/poll', 'get'],
      ['/api/v1/pipeline', 'get'],
      ['/api/v1/pipeline/notifications', 'post'],
      ['/v1/users', 'post'],
    ]) {
      expect(document.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    }
    // Nothing outside /api and /v1 (gRPC, GraphQL, WebSockets, the app's own routes).
    expect(Object.keys(document.paths).filter((path) => !/^\/(api|v1)\//.test(path))).toEqual([]);
  });
});
