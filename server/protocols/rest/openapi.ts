import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import { sharedSchemas } from './schemas.ts';
import { transcodingTag } from '../grpc/transcoding/transcoding-docs.ts';

/** Paths the OpenAPI document covers: the REST API and everything beside it under /api, and gRPC's REST transcoding. */
export const DOCUMENTED_PREFIXES = ['/api/', '/v1/'];

/**
 * What the OpenAPI document says about a route whose own code checks its input and writes its
 * answers (a stream, google.rpc.Status JSON, its own problem+json in both languages): the same
 * keys as a route schema, kept in the route's `config.openapi` so that Fastify neither validates
 * nor serializes with them — the document describes the route, the route keeps deciding.
 */
export interface RouteDocs {
  /** the route's path as the document names it, when its Fastify path says less (a transcoded route's `:p0` is `:id` here) */
  path?: string;
  operationId: string;
  summary: string;
  description?: string;
  tags: string[];
  params?: unknown;
  querystring?: unknown;
  headers?: unknown;
  body?: unknown;
  response: Record<number, unknown>;
  /** who may call it, when not anyone (the root's `security`) */
  security?: Array<Record<string, string[]>>;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** the route's part of /api/openapi.json when its `schema` does not describe it (see RouteDocs) */
    openapi?: RouteDocs;
  }
}

/**
 * The OpenAPI document of every HTTP route under /api and /v1 (served at /api/openapi.json by the
 * REST plugin). Registered on the root before any route, so @fastify/swagger's onRoute hook sees
 * the routes of every plugin — REST, SSE (`/api/v1/events`), long polling (`/api/v1/poll`), the
 * MQTT pipeline lab (`/api/v1/pipeline…`), gRPC's transcoding (`/v1/users…`) — with each route's
 * own schema, or its `config.openapi` (RouteDocs) where the route checks its input itself. A
 * route that is no operation (one that only answers 405) says so with `schema: { hide: true }`. The shared schemas (User, Post,
 * Problem…) live here, on the root, so that the document and every route can refer to them.
 */
async function openApiPlugin(app: FastifyInstance): Promise<void> {
  for (const schema of sharedSchemas) app.addSchema(schema);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Wirelab demo API',
        version: '1.0.0',
        // The project grants no licence yet (package.json is private and names none): the document says so, in
        // SPDX's own form for a licence it does not list (LicenseRef-…), rather than invent one.
        license: { name: 'No licence is granted yet: ask whoever runs this server', identifier: 'LicenseRef-none-granted' },
        contact: { name: 'Whoever runs this Wirelab server: your teacher, in a class' },
        description:
          'The REST API of the Wirelab playground: users, posts and comments in your own sandbox. Every error is application/problem+json (RFC 9457). Send `X-Wirelab-Sandbox: <id>` to work in a sandbox of your choice; without a session you share the sandbox `shared` with everyone. Beside it: Server-Sent Events, long polling, the MQTT pipeline lab, and the REST transcoding of the gRPC UserService at /v1/users.',
      },
      // The document is served by the server it describes; `host` is the address you reach it at.
      servers: [
        {
          url: 'http://{host}',
          description: 'This Wirelab server',
          variables: { host: { default: 'localhost:8080', description: 'host:port of your Wirelab server' } },
        },
      ],
      components: {
        securitySchemes: {
          session: {
            type: 'apiKey',
            in: 'cookie',
            name: 'wirelab_session',
            description: 'Your browser session (GET /_wirelab/session sets it): its sandbox, and your captures in the inspector',
          },
          sandbox: {
            type: 'apiKey',
            in: 'header',
            name: 'x-wirelab-sandbox',
            description: 'A sandbox by name (1 to 64 letters, digits, - or _) or your session’s curl token (curl.…, from GET /_wirelab/session)',
          },
        },
      },
      // Neither is a login: without either you work in the sandbox `shared`, with everyone.
      security: [{}, { session: [] }, { sandbox: [] }],
      tags: [
        { name: 'users', description: 'Users, version 1: snake_case fields' },
        { name: 'users v2', description: 'The same users, version 2: an envelope, camelCase, the name split in two' },
        {
          name: 'users (version in a header)',
          description: 'The same users at /users/:id: the version chosen by Accept (application/vnd.wirelab.v2+json) or Api-Version',
        },
        { name: 'posts', description: 'Posts written by users' },
        { name: 'comments', description: 'Comments on posts' },
        { name: 'events', description: 'The sandbox’s domain events, pushed: Server-Sent Events and long polling' },
        { name: 'pipeline lab', description: 'The “order → notification” lab of lesson 13: consumers on the MQTT broker, and the direct REST call' },
        { name: transcodingTag('UserService'), description: 'The gRPC wirelab.users.v1.UserService as JSON over HTTP, from its google.api.http rules' },
      ],
    },
    transform: ({ schema, url, route }) => {
      if (!DOCUMENTED_PREFIXES.some((prefix) => url.startsWith(prefix))) return { schema: { ...schema, hide: true }, url };
      if (schema?.hide) return { schema, url };
      // A route without an operationId or summary is caught by the document's lint test (tests/integration/openapi.test.ts).
      const { path, ...docs } = route.config?.openapi ?? {};
      return { schema: { ...schema, ...docs }, url: path ?? url };
    },
    // Shared schemas keep their names (User, Post, Problem…) in components.schemas.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
}

export default fp(openApiPlugin, { name: 'wirelab-openapi' });
