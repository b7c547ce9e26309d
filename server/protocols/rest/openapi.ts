import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import { sharedSchemas } from './schemas.ts';

/** Paths the OpenAPI document covers: the REST API and everything beside it under /api, and gRPC's REST transcoding. */
export const DOCUMENTED_PREFIXES = ['/api/', '/v1/'];

const NO_SCHEMA_DESCRIPTION =
  'This route declares no schema yet, so its parameters and answers are not described here: see the README of the protocol that serves it.';

/**
 * The OpenAPI document of every HTTP route under /api and /v1 (served at /api/openapi.json by the
 * REST plugin). Registered on the root before any route, so @fastify/swagger's onRoute hook sees
 * the routes of every plugin — REST, SSE (`/api/v1/events`), long polling (`/api/v1/poll`), the
 * MQTT pipeline lab (`/api/v1/pipeline…`), gRPC's transcoding (`/v1/users…`) — and each route's
 * own schema, once it declares one, flows into the document. A route that is no operation (one
 * that only answers 405) says so with `schema: { hide: true }`. The shared schemas (User, Post,
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
        description:
          'The REST API of the Wirelab playground: users, posts and comments in your own sandbox. Every error is application/problem+json (RFC 9457). Send `X-Wirelab-Sandbox: <id>` to work in a sandbox of your choice; without a session you share the sandbox `shared` with everyone. Beside it: Server-Sent Events, long polling, the MQTT pipeline lab, and the REST transcoding of the gRPC UserService at /v1/users.',
      },
      tags: [
        { name: 'users', description: 'Users, version 1: snake_case fields' },
        { name: 'users v2', description: 'The same users, version 2: an envelope, camelCase, the name split in two' },
        {
          name: 'users (version in a header)',
          description: 'The same users at /users/:id: the version chosen by Accept (application/vnd.wirelab.v2+json) or Api-Version',
        },
        { name: 'posts', description: 'Posts written by users' },
        { name: 'comments', description: 'Comments on posts' },
      ],
    },
    transform: ({ schema, url }) => {
      if (!DOCUMENTED_PREFIXES.some((prefix) => url.startsWith(prefix))) return { schema: { ...schema, hide: true }, url };
      if (schema?.response || schema?.description) return { schema, url };
      return { schema: { ...schema, description: NO_SCHEMA_DESCRIPTION }, url };
    },
    // Shared schemas keep their names (User, Post, Problem…) in components.schemas.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
}

export default fp(openApiPlugin, { name: 'wirelab-openapi' });
