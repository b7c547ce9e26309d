// "WebSockets and gRPC in one service" on ONE port, as a Go server with cmux would: the first bytes
// of a connection choose (the HTTP/2 preface → gRPC by connect-node; anything else → HTTP/1.1 with
// the WebSocket at /events by `ws`). Correct, or with one mistake a student's service makes,
// switched on by `fault`. The Python starter covers the other place the contract allows (port+1).
import { createServer as createHttp1Server } from 'node:http';
import { createServer as createHttp2Server } from 'node:http2';
import { createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { once } from 'node:events';
import { Duplex } from 'node:stream';
import { create, fromJson, toJson, type JsonObject } from '@bufbuild/protobuf';
import { timestampNow } from '@bufbuild/protobuf/wkt';
import { Code, ConnectError, type ConnectRouter } from '@connectrpc/connect';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import { WebSocket, WebSocketServer } from 'ws';
import {
  CreateUserRequestSchema,
  Role,
  UserSchema,
  UserService,
  UserStatus,
  type CreateUserRequest,
  type User,
} from '../../../proto/gen/wirelab/users/v1/users_pb.ts';

export type GrpcWebSocketFault =
  | ''
  /** the event's user as the .proto names it (created_at) with enums as numbers, not proto3 JSON */
  | 'proto-names'
  /** CreateUser publishes user.created before it validates: a refused user is announced too */
  | 'event-before-validation'
  /** a user.create on the WebSocket is relayed to everyone as user.created but never stored */
  | 'ws-create-not-stored'
  /** one variable for "the" client, not a set: only the last one to connect hears anything */
  | 'last-client-only'
  /** a bad user.create throws in the handler: the connection closes with 1011 instead of an error message */
  | 'ws-error-closes';

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
const HTTP2_PREFACE = 'PRI * HTTP/2.0';

/** How an honest server on a loaded laptop may be slow; every field 0 (the default): at once. */
export interface FixtureSlowness {
  /** Every message the WebSocket sends (events and error answers) leaves that much after its cause. */
  slowMs?: number;
  /**
   * A connection joins the listeners that much after its 101, and reads nothing before (its pings
   * wait too): as a Go handler, which adds the connection once Upgrade returns and then reads.
   */
  joinAfterMs?: number;
}

export async function startGrpcWebSocketFixture(
  fault: GrpcWebSocketFault = '',
  { slowMs = 0, joinAfterMs = 0 }: FixtureSlowness = {},
): Promise<{ port: number; close(): Promise<void> }> {
  const users = new Map<number, User>();
  let nextId = 1;
  const clients = new Set<WebSocket>();
  let lastClient: WebSocket | null = null;

  const userJson = (user: User): JsonObject => {
    const json = toJson(UserSchema, user) as JsonObject;
    if (fault !== 'proto-names') return json;
    const { createdAt, updatedAt, ...rest } = json;
    return { ...rest, status: user.status, roles: user.roles, created_at: createdAt ?? null, updated_at: updatedAt ?? null };
  };
  const later = (send: () => void) => (slowMs > 0 ? void setTimeout(send, slowMs) : send());
  const publish = (user: User) => {
    const text = JSON.stringify({ type: 'user.created', user: userJson(user) });
    const listeners = fault === 'last-client-only' ? (lastClient ? [lastClient] : []) : [...clients];
    later(() => {
      for (const client of listeners) if (client.readyState === WebSocket.OPEN) client.send(text);
    });
  };
  const validate = (request: CreateUserRequest) => {
    if (!request.name.trim() || !EMAIL.test(request.email))
      throw new ConnectError('name must not be empty and email must look like x@y.z', Code.InvalidArgument);
  };
  const made = (request: CreateUserRequest) => {
    const now = timestampNow();
    return create(UserSchema, {
      id: nextId++,
      name: request.name.trim(),
      email: request.email,
      status: UserStatus.ACTIVE,
      roles: [Role.READER],
      createdAt: now,
      updatedAt: now,
      version: 1,
    });
  };
  const store = (request: CreateUserRequest) => {
    validate(request);
    const user = made(request);
    users.set(user.id, user);
    return user;
  };

  const routes = (router: ConnectRouter) =>
    router.service(UserService, {
      createUser(request) {
        if (fault === 'event-before-validation') {
          const user = made(request);
          publish(user);
          validate(request);
          users.set(user.id, user);
          return { user };
        }
        const user = store(request);
        publish(user);
        return { user };
      },
      getUser(request) {
        const key = request.key;
        const user = [...users.values()].find((candidate) => (key.case === 'id' ? candidate.id === key.value : candidate.email === key.value));
        if (!user) throw new ConnectError('no such user', Code.NotFound);
        return { user };
      },
      deleteUser(request) {
        if (!users.delete(request.id)) throw new ConnectError('no such user', Code.NotFound);
        return {};
      },
    });

  const onMessage = (socket: WebSocket, text: string) => {
    try {
      const asked = JSON.parse(text) as { type?: unknown; user?: unknown };
      if (asked.type !== 'user.create') throw new ConnectError('expected {"type":"user.create"}', Code.InvalidArgument);
      const request = fromJson(CreateUserRequestSchema, asked.user as JsonObject);
      if (fault === 'ws-create-not-stored') {
        validate(request);
        return publish(made(request));
      }
      publish(store(request));
    } catch (error) {
      if (fault === 'ws-error-closes') return socket.close(1011, 'internal error');
      const text = JSON.stringify({ type: 'error', code: 'INVALID_ARGUMENT', message: (error as Error).message });
      later(() => socket.readyState === WebSocket.OPEN && socket.send(text));
    }
  };

  const grpc = createHttp2Server(connectNodeAdapter({ routes, grpc: true, connect: false, grpcWeb: false }));
  const http1 = createHttp1Server((_request, response) => response.writeHead(404).end());
  const events = new WebSocketServer({ server: http1, path: '/events' });
  events.on('connection', (socket) => {
    socket.on('error', () => undefined);
    socket.on('message', (data) => onMessage(socket, data.toString()));
    socket.on('close', () => clients.delete(socket));
    const join = () => {
      if (socket.readyState !== WebSocket.OPEN) return;
      clients.add(socket);
      lastClient = socket;
      socket.resume();
    };
    if (joinAfterMs === 0) return join();
    socket.pause();
    setTimeout(join, joinAfterMs);
  });
  const front = createNetServer((socket: Socket) => {
    socket.once('data', (first: Buffer) => {
      if (!first.toString('latin1').startsWith(HTTP2_PREFACE.slice(0, first.length))) {
        socket.pause();
        socket.unshift(first);
        http1.emit('connection', socket);
        return socket.resume();
      }
      grpc.emit('connection', withFirstBytes(socket, first));
    });
    socket.on('error', () => undefined);
  });
  front.listen(0, '127.0.0.1');
  await once(front, 'listening');
  return {
    port: (front.address() as AddressInfo).port,
    async close() {
      for (const client of events.clients) client.terminate();
      await new Promise<void>((resolve) => front.close(() => resolve()));
      grpc.close();
      http1.close();
    },
  };
}

/**
 * node:http2 reads a net.Socket's handle natively, past bytes already read in JavaScript: the
 * sniffed preface would be lost. A plain Duplex in between hands it the first bytes, then the rest.
 */
function withFirstBytes(socket: Socket, first: Buffer): Duplex {
  const duplex = new Duplex({
    read: () => void socket.resume(),
    write: (chunk: Buffer, _encoding, done) => void socket.write(chunk, done),
    final: (done) => void socket.end(done),
    destroy: (error, done) => {
      socket.destroy();
      done(error);
    },
  });
  duplex.push(first);
  socket.on('data', (chunk: Buffer) => {
    if (!duplex.push(chunk)) socket.pause();
  });
  socket.on('end', () => duplex.push(null));
  socket.on('close', () => duplex.destroy());
  return duplex;
}
