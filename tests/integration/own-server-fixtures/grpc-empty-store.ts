// A correct gRPC server (connect-node over h2c, which ends a call past its grpc-timeout with
// DEADLINE_EXCEEDED) whose store starts empty: ListUsers then has no user to pause between, the
// case the deadline check once failed for a correct server. One fault to switch on: `no-health`
// (no grpc.health.v1.Health service, so nothing answers a health check).
import { createServer, type Http2Server } from 'node:http2';
import { once } from 'node:events';
import { setTimeout } from 'node:timers/promises';
import type { AddressInfo } from 'node:net';
import { create } from '@bufbuild/protobuf';
import { Code, ConnectError, type ConnectRouter } from '@connectrpc/connect';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import { UserService, UserSchema, type User } from '../../../proto/gen/wirelab/users/v1/users_pb.ts';
import { Health, HealthCheckResponse_ServingStatus } from '../../../proto/gen/grpc/health/v1/health_pb.ts';

export async function startEmptyGrpcFixture(fault: '' | 'no-health' = ''): Promise<{ port: number; users: Map<number, User>; close(): Promise<void> }> {
  const users = new Map<number, User>();
  let nextId = 1;
  const find = (id: number) => {
    const user = users.get(id);
    if (!user) throw new ConnectError('no such user', Code.NotFound);
    return user;
  };
  const routes = (router: ConnectRouter) => {
    router.service(UserService, {
      createUser(request) {
        if (!request.name.trim() || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(request.email)) throw new ConnectError('name and email', Code.InvalidArgument);
        const user = create(UserSchema, { id: nextId++, name: request.name, email: request.email, version: 1 });
        users.set(user.id, user);
        return { user };
      },
      getUser: (request) => ({ user: find(request.key.case === 'id' ? request.key.value : 0) }),
      deleteUser(request) {
        find(request.id);
        users.delete(request.id);
        return {};
      },
      async *listUsers(request, context) {
        const listed = [...users.values()].slice(0, request.maxUsers || undefined);
        for (const [index, user] of listed.entries()) {
          // the call's signal aborts at its grpc-timeout: connect-node then answers DEADLINE_EXCEEDED
          if (index > 0) await setTimeout(request.intervalMs, undefined, { signal: context.signal }).catch(() => context.signal.throwIfAborted());
          yield { user, position: index + 1 };
        }
      },
    });
    if (fault !== 'no-health') router.service(Health, { check: () => ({ status: HealthCheckResponse_ServingStatus.SERVING }) });
  };
  const server: Http2Server = createServer(connectNodeAdapter({ routes, grpc: true, connect: false, grpcWeb: false }));
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
