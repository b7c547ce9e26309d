import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { User } from '../../domain/index.ts';
import { entityTag, sendRepresentation } from './http-semantics.ts';
import { HttpProblem } from './problem.ts';
import { userV1, userV2 } from './representations.ts';
import { conditionalReadHeadersSchema, idParamsSchema, noContent, problems } from './schemas.ts';

/** The API versions a client may ask for in a header, and the media type of each. */
export const HEADER_VERSIONS = {
  1: 'application/vnd.wirelab.v1+json',
  2: 'application/vnd.wirelab.v2+json',
} as const;
export type HeaderVersion = keyof typeof HEADER_VERSIONS;

/** Without a version header a client gets the oldest one: it may have been written before v2 existed. */
export const DEFAULT_HEADER_VERSION: HeaderVersion = 1;

const VENDOR_TYPE = /^application\/vnd\.wirelab\.v(\d+)\+json$/;

export interface ChosenVersion {
  version: HeaderVersion;
  /** the answer's media type: the vendor type when Accept asked for one */
  contentType: string;
}

/**
 * The version a request asks for: a vendor media type in Accept
 * (`application/vnd.wirelab.v2+json`) or the header `Api-Version: 2`; both must agree. An
 * unknown version is 406 (Accept) or 400 (Api-Version); neither header means version 1.
 */
export function chooseVersion(accept: string | undefined, apiVersion: string | undefined): ChosenVersion {
  const asked = (accept ?? '')
    .split(',')
    .map((range) => range.split(';')[0].trim().toLowerCase())
    .flatMap((type) => {
      const match = VENDOR_TYPE.exec(type);
      return match ? [Number(match[1])] : [];
    });
  const fromAccept = asked.find((version) => version in HEADER_VERSIONS) as HeaderVersion | undefined;
  if (asked.length > 0 && fromAccept === undefined) {
    throw new HttpProblem(406, 'not-acceptable', 'Not Acceptable', `This API has versions ${supported()}; Accept asked for ${accept}.`);
  }
  let fromHeader: HeaderVersion | undefined;
  if (apiVersion !== undefined) {
    const number = /^\s*(\d{1,3})\s*$/.exec(apiVersion)?.[1];
    if (number === undefined || !(Number(number) in HEADER_VERSIONS)) {
      throw new HttpProblem(
        400,
        'unsupported-api-version',
        'Unsupported API Version',
        `Api-Version must be one of ${Object.keys(HEADER_VERSIONS).join(', ')}, not ${JSON.stringify(apiVersion)}.`,
      );
    }
    fromHeader = Number(number) as HeaderVersion;
  }
  if (fromAccept !== undefined && fromHeader !== undefined && fromAccept !== fromHeader) {
    throw new HttpProblem(
      400,
      'conflicting-api-version',
      'Conflicting API Version',
      `Accept asks for version ${fromAccept} and Api-Version for ${fromHeader}: send one of them.`,
    );
  }
  const version = fromAccept ?? fromHeader ?? DEFAULT_HEADER_VERSION;
  return { version, contentType: fromAccept !== undefined ? HEADER_VERSIONS[version] : 'application/json; charset=utf-8' };
}

function supported(): string {
  return Object.values(HEADER_VERSIONS).join(', ');
}

/**
 * /users/:id without a version in the URL: the version comes from a header, and the answer
 * says which one it is (`Api-Version`) and which request headers chose it (`Vary`), so that a
 * cache never hands a v1 client the v2 body it stored for somebody else.
 */
export function userHeaderVersionRoutes(app: FastifyInstance, prefix: string): void {
  const { domain } = app;
  const representation = (user: User, version: HeaderVersion) =>
    version === 1
      ? userV1(user)
      : { data: userV2(user), meta: { version: user.version }, links: { self: `${prefix}/users/${user.id}`, posts: `${prefix}/v1/users/${user.id}/posts` } };

  app.get<{ Params: { id: number } }>(
    '/users/:id',
    {
      schema: {
        tags: ['users (version in a header)'],
        operationId: 'getUserByHeaderVersion',
        summary: 'Get a user, in the version a header asks for',
        description:
          'Send `Accept: application/vnd.wirelab.v2+json` or `Api-Version: 2` for the version 2 representation (as /v2/users/:id); without either you get version 1 (as /v1/users/:id). The answer carries `Api-Version` and `Vary: Accept, Api-Version`.',
        params: idParamsSchema,
        headers: {
          ...conditionalReadHeadersSchema,
          properties: {
            ...conditionalReadHeadersSchema.properties,
            'api-version': { type: 'string', description: 'The API version: 1 or 2' },
          },
        },
        response: {
          200: {
            description: 'The user in the version asked for',
            content: {
              'application/json': {
                schema: {
                  anyOf: [{ $ref: 'User#' }, { type: 'object', required: ['data'], properties: { data: { $ref: 'UserV2#' } }, additionalProperties: true }],
                },
              },
              [HEADER_VERSIONS[1]]: { schema: { $ref: 'User#' } },
              [HEADER_VERSIONS[2]]: { schema: { type: 'object', required: ['data'], properties: { data: { $ref: 'UserV2#' } }, additionalProperties: true } },
            },
          },
          304: noContent('Not Modified'),
          ...problems(400, 404, 406, 429),
        },
      },
    },
    async (request: FastifyRequest<{ Params: { id: number } }>, reply) => {
      reply.header('vary', 'Accept, Api-Version');
      const header = request.headers['api-version'];
      const { version, contentType } = chooseVersion(request.headers.accept, Array.isArray(header) ? header.join(',') : header);
      const user = domain.users.get(request.sandboxId, request.params.id);
      const body = representation(user, version);
      // The two bodies have different shapes: serialize what was built, the schema documents it.
      reply.header('api-version', String(version)).type(contentType).serializer(JSON.stringify);
      return sendRepresentation(request, reply, body, entityTag('u', user.id, user.version, body));
    },
  );
}
