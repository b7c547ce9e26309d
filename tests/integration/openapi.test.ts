import { createConfig, lintFromString } from '@redocly/openapi-core';
import { Document, Spectral } from '@stoplight/spectral-core';
import spectralParsers from '@stoplight/spectral-parsers';
import { oas } from '@stoplight/spectral-rulesets';
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

/** A path with its parameters unnamed (`/v1/users/{}`): a transcoded route's `:p0` is `{id}` in the document, named by its google.api.http rule. */
const unnamed = (path: string) => path.replace(/:(\w+)/g, '{}').replace(/\{[^}]+\}/g, '{}');

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
    const documented = new Map(Object.entries(document.paths).map(([path, operations]) => [unnamed(path), operations]));
    const undocumented = routes.filter(({ method, path }) => !documented.get(unnamed(path))?.[method.toLowerCase()]);
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

  it('passes Redocly’s and Spectral’s recommended rules without one warning', async () => {
    const source = await (await fetch(`${server.origin}/api/openapi.json`)).text();
    // What the document once held (issue 34): placeholder operations without a name, a summary or
    // a tag, parameters named p0, and nothing but "200 Default Response".
    type Operation = {
      operationId?: string;
      summary?: string;
      tags?: string[];
      parameters?: Array<{ name: string }>;
      responses: Record<string, { description: string }>;
    };
    const operations = Object.entries((JSON.parse(source) as { paths: Record<string, Record<string, Operation>> }).paths).flatMap(([path, byMethod]) =>
      Object.entries(byMethod).map(([method, operation]) => ({ at: `${method} ${path}`, operation })),
    );
    const placeholders = operations
      .filter(
        ({ operation }) =>
          !operation.operationId ||
          !operation.summary ||
          !operation.tags?.length ||
          operation.parameters?.some((parameter) => /^p\d+$/.test(parameter.name)) ||
          Object.values(operation.responses).some((response) => response.description === 'Default Response'),
      )
      .map(({ at }) => at);
    expect(placeholders).toEqual([]);

    const redocly = await lintFromString({ source, absoluteRef: 'openapi.json', config: await createConfig({ extends: ['recommended'] }) });
    expect(redocly.map((problem) => `${problem.severity} ${problem.ruleId}: ${problem.message} at ${problem.location[0]?.pointer}`)).toEqual([]);

    const spectral = new Spectral();
    spectral.setRuleset({ extends: [[oas as never, 'recommended']] });
    const results = await spectral.run(new Document(source, spectralParsers.Json, 'openapi.json'));
    expect(results.map((result) => `${result.severity} ${String(result.code)}: ${result.message} at ${result.path.join('.')}`)).toEqual([]);
  });
});
