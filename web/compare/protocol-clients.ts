// One job over every protocol, each with the client a real program would use on it: fetch,
// Connect's own transports, graphql-ws, socket.io-client, mqtt.js, EventSource, and the server's
// gRPC runner for native gRPC (a browser cannot speak it). The page's origin, so the session
// cookie goes along and every byte lands in the student's capture.
import { createClient } from '@connectrpc/connect';
import { createConnectTransport, createGrpcWebTransport } from '@connectrpc/connect-web';
import { createClient as createWsClient } from 'graphql-ws';
import mqtt from 'mqtt';
import { io } from 'socket.io-client';
import { UserService } from '../../proto/gen/wirelab/users/v1/users_pb.ts';
import { batchRequestBody, parseBatchAnswer, STORAGE_QUERIES_HEADER, type GraphqlOperation } from './graphql-batch.ts';
import { JobNotPossible } from './lab-error.ts';
import { RunnerClient } from './runner-client.ts';
import type { BurstProtocol, EventsProtocol, RequestJob, RequestProtocol } from './lab-types.ts';
import type { WirelabCostReport } from '../../contracts/graphql-extras/extras.ts';

const USER_SERVICE = 'wirelab.users.v1.UserService';

/** What a request job sent back, for the page to show that it really worked. */
export interface JobAnswer {
  /** users (or posts) the answer held */
  items: number;
  /** GraphQL's own report of the SQL statements its resolvers ran (`extensions.wirelab.storageQueries`) */
  sqlStatements?: number;
}

/**
 * Every run moves the data: the browser's HTTP cache would turn a repeated GET into a `304 Not
 * Modified` revalidation (REST and GraphQL GET send ETags), and the lab would compare a cache hit
 * with a transfer.
 */
const NO_STORE: RequestInit = { cache: 'no-store' };

const origin = () => window.location.origin;
const wsOrigin = () => origin().replace(/^http/, 'ws');

function uniqueEmail(): string {
  return `lab-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

async function json(response: Response): Promise<unknown> {
  if (!response.ok) throw new Error(`${response.url.replace(origin(), '')} → ${response.status}`);
  return response.json();
}

const USER_FIELDS = 'id name email status roles metadata { key value } phone createdAt updatedAt version';

async function graphql(query: string, over: 'POST' | 'GET'): Promise<JobAnswer & { data: Record<string, unknown> }> {
  const response =
    over === 'POST'
      ? await fetch('/graphql', { method: 'POST', cache: 'no-store', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })
      : await fetch(`/graphql?query=${encodeURIComponent(query)}`, { cache: 'no-store', headers: { accept: 'application/json' } });
  const body = (await json(response)) as {
    data?: Record<string, unknown>;
    errors?: Array<{ message: string }>;
    extensions?: { wirelab?: Partial<WirelabCostReport> };
  };
  if (body.errors?.length) throw new Error(body.errors[0].message);
  return { data: body.data ?? {}, items: 0, sqlStatements: body.extensions?.wirelab?.storageQueries };
}

/** Several operations in one POST: a JSON array in, a JSON array of results out (graphql-batch.ts). */
async function graphqlBatch(operations: readonly GraphqlOperation[]): Promise<{ data: Array<Record<string, unknown>>; sqlStatements?: number }> {
  const response = await fetch('/graphql', {
    method: 'POST',
    cache: 'no-store',
    headers: { 'content-type': 'application/json' },
    body: batchRequestBody(operations),
  });
  // A refused batch is one error object with a 4xx: its message says why, so read it before the status.
  const body: unknown = await response.json().catch(() => null);
  if (!response.ok && !Array.isArray(body)) throw new Error(`/graphql → ${response.status}${body ? `: ${JSON.stringify(body).slice(0, 200)}` : ''}`);
  return parseBatchAnswer(body, operations.length, response.headers.get(STORAGE_QUERIES_HEADER));
}

/** The read job's query: one user with their posts. */
const userWithPosts = (id: number) => `{ user(id: ${id}) { ${USER_FIELDS} posts { id title content createdAt updatedAt version } } }`;

const idsUpTo = (count: number) => Array.from({ length: count }, (_, index) => index + 1);

/** Users and posts an answer of `userWithPosts` held. */
function itemsOfUser(data: Record<string, unknown>): number {
  const user = data.user as { posts: unknown[] } | null;
  return user ? 1 + user.posts.length : 0;
}

/** Adds up what the parts report; undefined as soon as one part reports nothing. */
function sumReported(values: ReadonlyArray<number | undefined>): number | undefined {
  return values.some((value) => value === undefined) ? undefined : values.reduce<number>((sum, value) => sum + (value as number), 0);
}

/**
 * The by-id job: users 1..count, each with their posts, each its own operation — as a page whose
 * parts each ask for their own user would. One after the other, except GraphQL POST with the
 * batching knob on: then all of them go in one POST.
 */
async function performByIdJob(protocol: RequestProtocol, job: Extract<RequestJob, { kind: 'by-id' }>, runner: () => RunnerClient): Promise<JobAnswer> {
  const ids = idsUpTo(job.count);
  if (protocol === 'graphql-post' && job.graphqlBatching) {
    const answer = await graphqlBatch(ids.map((id) => ({ query: userWithPosts(id) })));
    return { items: answer.data.reduce((sum, data) => sum + itemsOfUser(data), 0), sqlStatements: answer.sqlStatements };
  }
  if (protocol === 'graphql-get' && job.graphqlBatching) {
    throw new JobNotPossible(
      'A batch is a JSON array in a POST body; a GET carries one operation in its URL. Batching off, GraphQL GET sends one request per user.',
      'Пакет — это JSON-массив в теле POST-запроса, а GET несёт в адресе одну операцию. С выключенной пакетной отправкой GraphQL GET шлёт по запросу на пользователя.',
    );
  }
  let items = 0;
  const reported: Array<number | undefined> = [];
  for (const id of ids) {
    const answer = await performRequestJob(protocol, { kind: 'read' }, runner, id);
    items += answer.items;
    reported.push(answer.sqlStatements);
  }
  return { items, sqlStatements: sumReported(reported) };
}

function connectClient(protocol: 'connect-json' | 'connect-binary' | 'grpc-web') {
  const baseUrl = origin();
  const transport =
    protocol === 'grpc-web'
      ? createGrpcWebTransport({ baseUrl, useBinaryFormat: true })
      : createConnectTransport({ baseUrl, useBinaryFormat: protocol === 'connect-binary' });
  return createClient(UserService, transport);
}

/** Does the job once over the protocol. The runner is the caller's: cold runs give a new one. `userId`: the read job's user. */
export async function performRequestJob(protocol: RequestProtocol, job: RequestJob, runner: () => RunnerClient, userId = 1): Promise<JobAnswer> {
  if (job.kind === 'by-id') return performByIdJob(protocol, job, runner);
  switch (protocol) {
    case 'rest': {
      if (job.kind === 'read') {
        await json(await fetch(`/api/v1/users/${userId}`, NO_STORE));
        const posts = (await json(await fetch(`/api/v1/users/${userId}/posts`, NO_STORE))) as { items: unknown[] };
        return { items: 1 + posts.items.length };
      }
      if (job.kind === 'list') {
        const page = (await json(await fetch(`/api/v1/users?limit=${job.size}`, NO_STORE))) as { items: unknown[] };
        return { items: page.items.length };
      }
      await json(
        await fetch('/api/v1/users', {
          method: 'POST',
          cache: 'no-store',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'Lab User', email: uniqueEmail() }),
        }),
      );
      return { items: 1 };
    }
    case 'graphql-post':
    case 'graphql-get': {
      const over = protocol === 'graphql-post' ? 'POST' : 'GET';
      if (job.kind === 'read') {
        const answer = await graphql(userWithPosts(userId), over);
        return { items: itemsOfUser(answer.data), sqlStatements: answer.sqlStatements };
      }
      if (job.kind === 'list') {
        const answer = await graphql(`{ users(first: ${job.size}) { nodes { ${USER_FIELDS} } } }`, over);
        return { items: (answer.data.users as { nodes: unknown[] }).nodes.length, sqlStatements: answer.sqlStatements };
      }
      if (over === 'GET') {
        throw new JobNotPossible(
          'GraphQL over GET runs queries only: a mutation must be a POST',
          'GraphQL через GET выполняет только запросы на чтение: мутация отправляется POST-запросом',
        );
      }
      const answer = await graphql(`mutation { createUser(input: { name: "Lab User", email: "${uniqueEmail()}" }) { ${USER_FIELDS} } }`, over);
      return { items: 1, sqlStatements: answer.sqlStatements };
    }
    case 'connect-json':
    case 'connect-binary':
    case 'grpc-web': {
      const client = connectClient(protocol);
      if (job.kind === 'read') {
        await client.getUser({ key: { case: 'id', value: userId } });
        return { items: 1 };
      }
      if (job.kind === 'list') {
        let items = 0;
        for await (const _ of client.listUsers({ maxUsers: job.size })) items += 1;
        return { items };
      }
      await client.createUser({ name: 'Lab User', email: uniqueEmail() });
      return { items: 1 };
    }
    case 'grpc-native': {
      const call =
        job.kind === 'read'
          ? runner().call(`${USER_SERVICE}/GetUser`, { id: userId })
          : job.kind === 'list'
            ? runner().call(`${USER_SERVICE}/ListUsers`, { maxUsers: job.size })
            : runner().call(`${USER_SERVICE}/CreateUser`, { name: 'Lab User', email: uniqueEmail() });
      const result = await call;
      if (result.code !== 0) throw new Error(`${result.name}: ${result.message}`);
      return { items: result.messages.length };
    }
    case 'rest-gateway': {
      if (job.kind === 'read') {
        await json(await fetch(`/v1/users/${userId}`, NO_STORE));
        return { items: 1 };
      }
      if (job.kind === 'list') {
        const response = await fetch(`/v1/users?maxUsers=${job.size}`, NO_STORE);
        if (!response.ok) throw new Error(`/v1/users → ${response.status}`);
        const lines = (await response.text()).split('\n').filter((line) => line.includes('"result"'));
        return { items: lines.length };
      }
      await json(
        await fetch('/v1/users', {
          method: 'POST',
          cache: 'no-store',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'Lab User', email: uniqueEmail() }),
        }),
      );
      return { items: 1 };
    }
  }
}

/** A client listening for the sandbox's "user created" events. */
export interface Subscriber {
  /** resolves once the subscription is in place on the server's side */
  ready: Promise<void>;
  received(): number;
  close(): void;
}

type Counter = ReturnType<typeof counter>;

function counter() {
  let count = 0;
  return { bump: () => (count += 1), read: () => count };
}

/** Opens a listener for `user.created` over the protocol. */
export function subscribe(protocol: EventsProtocol, runner: () => RunnerClient): Subscriber {
  const seen = counter();
  switch (protocol) {
    case 'sse':
      return listenOverSse(seen);
    case 'websocket':
      return listenOverWebSocket(seen);
    case 'socket-io':
      return listenOverSocketIo(seen);
    case 'long-polling':
      return listenByLongPolling(seen);
    case 'graphql-sub':
      return listenOverGraphqlWs(seen);
    case 'grpc-stream':
      return listenOverGrpcStream(seen, runner);
    case 'mqtt':
      return listenOverMqtt(seen);
  }
}

/** EventSource on the REST API's event stream. */
function listenOverSse(seen: Counter): Subscriber {
  const source = new EventSource('/api/v1/events');
  source.addEventListener('user.created', () => seen.bump());
  const ready = new Promise<void>((resolve, reject) => {
    source.addEventListener('open', () => resolve(), { once: true });
    source.addEventListener('error', () => reject(new Error('EventSource failed')), { once: true });
  });
  return { ready, received: seen.read, close: () => source.close() };
}

/** The chat WebSocket, whose welcome says the listener is in place. */
function listenOverWebSocket(seen: Counter): Subscriber {
  const socket = new WebSocket(`${wsOrigin()}/ws/chat?name=lab`, 'wirelab.chat.v1');
  const ready = new Promise<void>((resolve, reject) => {
    socket.addEventListener('message', (event) => {
      const message = JSON.parse(String(event.data)) as { type: string; event?: string };
      if (message.type === 'welcome') resolve();
      if (message.type === 'event' && message.event === 'user.created') seen.bump();
    });
    socket.addEventListener('close', () => reject(new Error('WebSocket closed')), { once: true });
  });
  return { ready, received: seen.read, close: () => socket.close(1000) };
}

/** socket.io-client, ready once upgraded to a WebSocket. */
function listenOverSocketIo(seen: Counter): Subscriber {
  const socket = io('/', { reconnection: false, auth: { name: 'lab' } });
  socket.on('user:created', () => seen.bump());
  const ready = new Promise<void>((resolve, reject) => {
    // Socket.IO starts with HTTP long polling and upgrades to a WebSocket: the run waits for
    // the upgrade, so its cost is part of the run, as in any real Socket.IO client.
    socket.io.engine.once('upgrade', () => resolve());
    socket.once('connect_error', (error) => reject(error));
  });
  return { ready, received: seen.read, close: () => socket.close() };
}

/** One long poll after another, from the cursor of now. */
function listenByLongPolling(seen: Counter): Subscriber {
  const controller = new AbortController();
  let resolveReady: () => void = () => {};
  let rejectReady: (error: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  void (async () => {
    // since=now answers at once with the cursor to wait from and no events: since=0 would replay
    // the sandbox's earlier events (kilobytes), and the run would count them as the cost of its own.
    try {
      let cursor = ((await json(await fetch('/api/v1/poll?since=now', { ...NO_STORE, signal: controller.signal }))) as { cursor: number }).cursor;
      let first = true;
      while (!controller.signal.aborted) {
        const pending = fetch(`/api/v1/poll?since=${cursor}`, { ...NO_STORE, signal: controller.signal });
        if (first) resolveReady();
        first = false;
        const response = await pending;
        if (response.status === 204) continue;
        const answer = (await json(response)) as { cursor: number; events: Array<{ type: string }> };
        for (const event of answer.events) if (event.type === 'user.created') seen.bump();
        cursor = answer.cursor;
      }
    } catch (error) {
      rejectReady(error as Error);
    }
  })();
  return { ready, received: seen.read, close: () => controller.abort() };
}

/** A graphql-ws subscription to userChanged. */
function listenOverGraphqlWs(seen: Counter): Subscriber {
  let connected: () => void = () => {};
  const ready = new Promise<void>((resolve) => (connected = resolve));
  const client = createWsClient({ url: `${wsOrigin()}/graphql`, lazy: false, retryAttempts: 0, on: { connected: () => connected() } });
  const stop = client.subscribe(
    { query: 'subscription { userChanged { kind id user { id name email } } }' },
    {
      next: (result) => ((result.data as { userChanged?: { kind: string } })?.userChanged?.kind === 'CREATED' ? seen.bump() : undefined),
      error: () => {},
      complete: () => {},
    },
  );
  return {
    ready,
    received: seen.read,
    close: () => {
      stop();
      void client.dispose();
    },
  };
}

/** The gRPC Chat stream, through the server's runner (a browser cannot speak native gRPC). */
function listenOverGrpcStream(seen: Counter, runner: () => RunnerClient): Subscriber {
  const client = runner();
  let greeted: () => void = () => {};
  const ready = new Promise<void>((resolve) => (greeted = resolve));
  // Chat answers a notice first, then pushes every change of the sandbox's users.
  const call = client.open(`${USER_SERVICE}/Chat`, (message) => {
    const event = message as { notice?: unknown; userChanged?: { kind?: string } };
    if (event.notice) greeted();
    if (event.userChanged) seen.bump();
  });
  return {
    ready,
    received: seen.read,
    close: () => {
      client.cancel(call.id);
      client.close();
    },
  };
}

/** mqtt.js over WebSocket, subscribed to events/user/created at QoS 1. */
function listenOverMqtt(seen: Counter): Subscriber {
  const client = mqtt.connect(`${wsOrigin()}/mqtt`, {
    protocolVersion: 4,
    clean: true,
    reconnectPeriod: 0,
    clientId: `lab-${Math.random().toString(36).slice(2, 10)}`,
  });
  client.on('message', () => seen.bump());
  const ready = new Promise<void>((resolve, reject) => {
    client.on('connect', () => client.subscribe('events/user/created', { qos: 1 }, (error) => (error ? reject(error) : resolve())));
    client.on('error', (error) => reject(error));
  });
  return { ready, received: seen.read, close: () => void client.end(true) };
}

/**
 * Sends `count` small messages from the client and waits until the server has taken every one:
 * chat lines over a WebSocket (each comes back to the sender too), Socket.IO chat messages with
 * an ack each, a gRPC client stream (CreateUsers: one message per user, one answer at the end),
 * or one HTTP request per message (LabService/Echo over Connect's JSON, a plain POST).
 */
export async function performBurst(protocol: BurstProtocol, count: number, runner: () => RunnerClient): Promise<JobAnswer> {
  const texts = Array.from({ length: count }, (_, index) => `msg ${index + 1}`);
  switch (protocol) {
    case 'ws-burst': {
      const socket = new WebSocket(`${wsOrigin()}/ws/chat?name=lab-burst`, 'wirelab.chat.v1');
      try {
        let echoed = 0;
        await new Promise<void>((resolve, reject) => {
          socket.addEventListener('message', (event) => {
            const message = JSON.parse(String(event.data)) as { type: string; from?: string };
            if (message.type === 'welcome') for (const text of texts) socket.send(text);
            if (message.type === 'message' && message.from === 'lab-burst' && (echoed += 1) === count) resolve();
            if (message.type === 'error') reject(new Error(JSON.stringify(message)));
          });
          socket.addEventListener('close', () => reject(new Error('WebSocket closed')), { once: true });
        });
        return { items: echoed };
      } finally {
        socket.close(1000);
      }
    }
    case 'sio-burst': {
      const socket = io('/', { reconnection: false, auth: { name: 'lab-burst' } });
      try {
        await new Promise<void>((resolve, reject) => {
          socket.once('connect', () => resolve());
          socket.once('connect_error', (error) => reject(error));
        });
        await socket.timeout(10_000).emitWithAck('chat:join', 'lab');
        const acks = await Promise.all(texts.map((text) => socket.timeout(10_000).emitWithAck('chat:message', { room: 'lab', text })));
        return { items: acks.filter((ack: { ok?: boolean }) => ack?.ok).length };
      } finally {
        socket.close();
      }
    }
    case 'grpc-client-stream': {
      const stamp = Date.now().toString(36);
      const users = texts.map((text, index) => ({ user: { name: text, email: `lab-burst-${stamp}-${index}@example.com` } }));
      const result = await runner().stream(`${USER_SERVICE}/CreateUsers`, users);
      if (result.code !== 0) throw new Error(`${result.name}: ${result.message}`);
      return { items: count };
    }
    case 'http-one-by-one': {
      for (const text of texts) {
        await json(
          await fetch('/wirelab.lab.v1.LabService/Echo', {
            method: 'POST',
            cache: 'no-store',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ message: text }),
          }),
        );
      }
      return { items: count };
    }
  }
}
