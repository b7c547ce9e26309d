// A correct gRPC server (connect-node over h2c, which ends a call past its grpc-timeout with
// DEADLINE_EXCEEDED) whose store starts empty: ListUsers then has no user to pause between, the
// case the deadline check once failed for a correct server. It offers all four kinds of call and
// no reflection; `fault` switches on one mistake a check family must catch (issue 38, item 6):
// `list-ignores-max`, `create-users-miscount`, `chat-silent` (the streaming kinds),
// `content-type-json`, `status-in-headers`, `timeout-in-ms` (grpc-timeout's unit misread),
// `metadata-refused` (a -bin header refused), `unknown-service-ok` (a catch-all answering OK),
// `no-health` (no grpc.health.v1.Health service, so nothing answers a health check), and
// `checks-name-only` / `checks-email-only` (CreateUser validates one of its two required fields).
import { createServer, type Http2Server, type Http2ServerRequest, type Http2ServerResponse, type OutgoingHttpHeaders } from 'node:http2';
import { once } from 'node:events';
import { setTimeout } from 'node:timers/promises';
import type { AddressInfo } from 'node:net';
import { create, type MessageInitShape } from '@bufbuild/protobuf';
import type { GenMessage } from '@bufbuild/protobuf/codegenv1';
import { Code, ConnectError, type ConnectRouter } from '@connectrpc/connect';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import { UserService, UserSchema, type CreateUsersResponse_Result, type User } from '../../../proto/gen/wirelab/users/v1/users_pb.ts';
import { Health, HealthCheckResponse_ServingStatus } from '../../../proto/gen/grpc/health/v1/health_pb.ts';

export type GrpcFault =
  | ''
  | 'list-ignores-max'
  | 'create-users-miscount'
  | 'chat-silent'
  | 'content-type-json'
  | 'status-in-headers'
  | 'timeout-in-ms'
  | 'metadata-refused'
  | 'unknown-service-ok'
  | 'no-health'
  | 'checks-name-only'
  | 'checks-email-only';

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export async function startEmptyGrpcFixture(fault: GrpcFault = ''): Promise<{ port: number; users: Map<number, User>; close(): Promise<void> }> {
  const users = new Map<number, User>();
  let nextId = 1;
  const add = (name: string, email: string) => {
    const user = create(UserSchema, { id: nextId++, name, email, version: 1 });
    users.set(user.id, user);
    return user;
  };
  const find = (id: number) => {
    const user = users.get(id);
    if (!user) throw new ConnectError('no such user', Code.NotFound);
    return user;
  };
  const routes = (router: ConnectRouter) => {
    router.service(UserService, {
      createUser(request) {
        const badName = fault !== 'checks-email-only' && !request.name.trim();
        const badEmail = fault !== 'checks-name-only' && !EMAIL.test(request.email);
        if (badName || badEmail) throw new ConnectError('name and email', Code.InvalidArgument);
        return { user: add(request.name, request.email) };
      },
      async createUsers(requests) {
        const results: MessageInitShape<GenMessage<CreateUsersResponse_Result>>[] = [];
        let created = 0;
        for await (const { user: asked } of requests) {
          const index = results.length;
          if (asked?.name.trim() && EMAIL.test(asked.email)) {
            created += 1;
            results.push({ index, outcome: { case: 'user' as const, value: add(asked.name, asked.email) } });
          } else results.push({ index, outcome: { case: 'error' as const, value: { code: Code.InvalidArgument, message: 'name and email' } } });
        }
        return fault === 'create-users-miscount' ? { results, created: results.length, failed: 0 } : { results, created, failed: results.length - created };
      },
      async *chat(requests) {
        for await (const said of requests) {
          const user = find(said.userId);
          if (fault !== 'chat-silent') yield { event: { case: 'said' as const, value: { userId: user.id, userName: user.name, text: said.text } } };
        }
      },
      getUser: (request) => ({ user: find(request.key.case === 'id' ? request.key.value : 0) }),
      deleteUser(request) {
        find(request.id);
        users.delete(request.id);
        return {};
      },
      async *listUsers(request, context) {
        const listed = [...users.values()].slice(0, fault === 'list-ignores-max' ? undefined : request.maxUsers || undefined);
        for (const [index, user] of listed.entries()) {
          // the call's signal aborts at its grpc-timeout: connect-node then answers DEADLINE_EXCEEDED
          if (index > 0) await setTimeout(request.intervalMs, undefined, { signal: context.signal }).catch(() => context.signal.throwIfAborted());
          yield { user, position: index + 1 };
        }
      },
    });
    if (fault !== 'no-health') router.service(Health, { check: () => ({ status: HealthCheckResponse_ServingStatus.SERVING }) });
  };
  const handler = connectNodeAdapter({ routes, grpc: true, connect: false, grpcWeb: false });
  const server: Http2Server = createServer((request, response) => withFault(fault, request, response) || handler(request, response));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    users,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
      }),
  };
}

/** Applies a wire fault around connect-node; true when the fault answered the request itself. */
function withFault(fault: GrpcFault, request: Http2ServerRequest, response: Http2ServerResponse): boolean {
  const trailersOnly = (status: number, message: string) => {
    response.writeHead(200, { 'content-type': 'application/grpc', 'grpc-status': String(status), 'grpc-message': message }).end();
    return true;
  };
  if (fault === 'unknown-service-ok' && request.url.startsWith('/wirelab.nosuch.')) return trailersOnly(0, '');
  if (fault === 'metadata-refused' && Object.keys(request.headers).some((name) => name.endsWith('-bin') && !name.startsWith('grpc-'))) {
    return trailersOnly(Code.InvalidArgument, 'unknown metadata');
  }
  const timeout = request.headers['grpc-timeout'];
  if (fault === 'timeout-in-ms' && typeof timeout === 'string') request.headers['grpc-timeout'] = timeout.replace(/S$/, 'm');
  if (fault === 'content-type-json' || fault === 'status-in-headers') {
    const writeHead = response.writeHead.bind(response) as (status: number, headers?: OutgoingHttpHeaders) => Http2ServerResponse;
    response.writeHead = ((status: number, headers: OutgoingHttpHeaders = {}) =>
      writeHead(
        status,
        fault === 'content-type-json' ? { ...headers, 'content-type': 'application/json' } : status === 200 ? { 'grpc-status': '0', ...headers } : headers,
      )) as typeof response.writeHead;
  }
  return false;
}
