// "Check my server" for the seminar's practical task "WebSockets and gRPC in one service": users.proto's
// UserService over gRPC at the address given, and a WebSocket at /events on the same host:port if
// it answers the Upgrade there (a Go server can share one port), else on port+1 (grpcio cannot
// share its port with a WebSocket library). A user created over gRPC arrives on every WebSocket as
// {"type":"user.created","user":{…proto3 JSON…}}; {"type":"user.create","user":{…}} sent on the
// WebSocket creates a user that GetUser then finds over gRPC. Contract: contracts/own-server/PROTOCOL.md.
import type { Bilingual } from '../../../shared/bilingual.ts';
import { once } from 'node:events';
import { create, fromBinary, toBinary, toJson, type JsonObject } from '@bufbuild/protobuf';
import {
  CreateUserRequestSchema,
  CreateUserResponseSchema,
  DeleteUserRequestSchema,
  GetUserRequestSchema,
  GetUserResponseSchema,
  UserSchema,
  type User,
} from '../../../proto/gen/wirelab/users/v1/users_pb.ts';
import { defineSuite, failed, verdict, withSeen, type CheckDefinition, type Observation, type SuiteContext, type Expectation } from '../check-kit.ts';
import { markedUnique } from '../wirelab-itself.ts';
import type { Target } from '../connection.ts';
import { grpcCall, type GrpcAnswer } from '../grpc-client.ts';
import { browserWouldDrop, frameCloseCode, OPCODE, openWebSocket, type CheckedWebSocket, type Frame, type Handshake } from '../websocket-client.ts';
import { EventWaits, firstOnEach, withinWindow } from '../event-waits.ts';
import { OWN_SERVER_LIMITS } from '../limits.ts';
import { SERVICE, STATUS, statusIs } from './grpc-calls.ts';

export const EVENTS_PATH = '/events';
const CONTRACT = "Wirelab's grpc-websocket contract (contracts/own-server/PROTOCOL.md)";

interface WsEvent {
  text: string;
  json: { type?: unknown; user?: unknown; code?: unknown; message?: unknown } | undefined;
}

interface GrpcWebSocketState {
  /** Where the WebSocket answered the handshake, or null when neither place did. */
  events: Target | null;
  /** The handshake that decided it (or the last one tried), for the first check's report. */
  handshake: Handshake | null;
  tried: { sent: string[]; got: string[] };
  /** Ids of the users the suite made, deleted by the clean-up. */
  made: number[];
  /** How long the run's checks wait for an event, and what the run's waits so far saw (event-waits.ts). */
  waits: EventWaits;
}

const wsContext = (context: SuiteContext, events: Target): SuiteContext => ({ ...context, target: events });
const tag = (context: SuiteContext, what: string) => `wirelab-gw-${what}-${markedUnique(context)}@example.com`;

/** The handshake on /events at `target`; null (with what it saw in `tried`) when no 101 came back. */
async function tryHandshake(context: SuiteContext, target: Target, tried: GrpcWebSocketState['tried']): Promise<Handshake | null> {
  try {
    const handshake = await openWebSocket(wsContext(context, target), EVENTS_PATH);
    tried.sent.push(`# ${target.host}:${target.port}\n${handshake.sent}`);
    tried.got.push(`# ${target.host}:${target.port}\n${handshake.got || '(nothing)'}`);
    return handshake;
  } catch (error) {
    tried.sent.push(`# ${target.host}:${target.port}: GET ${EVENTS_PATH} Upgrade: websocket`);
    tried.got.push(`# ${target.host}:${target.port}: ${(error as Error).message}`);
    return null;
  }
}

async function findEvents(context: SuiteContext): Promise<GrpcWebSocketState> {
  const state: GrpcWebSocketState = { events: null, handshake: null, tried: { sent: [], got: [] }, made: [], waits: new EventWaits() };
  const same = await tryHandshake(context, context.target, state.tried);
  if (same?.status === 101) {
    same.connection?.close();
    return { ...state, events: context.target, handshake: same };
  }
  if (context.signal.aborted || context.target.port >= 65535) return { ...state, handshake: same };
  const next = { host: context.target.host, port: context.target.port + 1 };
  const other = await tryHandshake(context, next, state.tried);
  other?.connection?.close();
  return { ...state, events: other?.status === 101 ? next : null, handshake: other ?? same };
}

const noEvents = (state: GrpcWebSocketState): Observation =>
  failed(state.tried.sent.join('\n'), state.tried.got.join('\n'), {
    en: `No WebSocket to listen on: neither this port nor the next one answered the Upgrade on ${EVENTS_PATH} with 101 (see the first check).`,
    ru: `Нечего слушать: ни этот порт, ни следующий не ответили 101 на Upgrade по ${EVENTS_PATH} (см. первую проверку).`,
  });

/** A text message, with its JSON when it is an object; null for any other frame. */
function readEvent(frame: Frame): WsEvent | null {
  if (frame.opcode !== OPCODE.text) return null;
  const text = frame.payload.toString('utf8');
  let json: WsEvent['json'];
  try {
    const parsed: unknown = JSON.parse(text);
    json = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? parsed : undefined;
  } catch {
    json = undefined;
  }
  return { text, json };
}

/** What a socket's wait came to: the message (null if none came), and the wait it had, as a report says it. */
interface EventWait {
  event: WsEvent | null;
  within: Bilingual;
}

/**
 * The first message `wanted` accepts on each socket, skipping others, from now (so after the
 * action that should make it): the run's window (the check's limit, or the short wait once a
 * whole one saw nothing), and once one socket has it, 1.5 s more for the others (event-waits.ts).
 * `on` names the sockets for a report ("on WebSocket 2").
 */
async function eventsOn(
  state: GrpcWebSocketState,
  sockets: CheckedWebSocket[],
  wanted: (event: WsEvent) => boolean,
  on: Bilingual[] = [],
): Promise<EventWait[]> {
  const waits = await firstOnEach(state.waits, sockets, (frame) => {
    const event = readEvent(frame);
    return event && wanted(event) ? event : null;
  });
  return waits.map(({ found, wait, after }) => ({
    event: found,
    within:
      after === null
        ? withinWindow(wait)
        : {
            en: `within ${wait.ms} ms of its arrival ${on[after]?.en ?? `on WebSocket ${after + 1}`}`,
            ru: `за ${wait.ms}\u00a0мс после того, как пришло ${on[after]?.ru ?? `на WebSocket ${after + 1}`}`,
          },
  }));
}

/** The first message `wanted` accepts on one socket (see eventsOn). */
async function eventOn(state: GrpcWebSocketState, socket: CheckedWebSocket, wanted: (event: WsEvent) => boolean): Promise<EventWait> {
  const [awaited] = await eventsOn(state, [socket], wanted);
  return awaited!;
}

const eventUser = (event: WsEvent | null) => {
  const user = event?.json?.user;
  return typeof user === 'object' && user !== null && !Array.isArray(user) ? (user as Record<string, unknown>) : undefined;
};
const createdWithEmail = (email: string) => (event: WsEvent) => event.json?.type === 'user.created' && eventUser(event)?.email === email;

/**
 * Opens `count` WebSockets on the contract's place, runs `talk`, and judges; the report shows the
 * gRPC calls and every connection's frames, whichever failed.
 */
async function withSockets(
  context: SuiteContext,
  state: GrpcWebSocketState,
  count: number,
  talk: (sockets: CheckedWebSocket[], calls: GrpcAnswer[]) => Promise<Expectation[]>,
): Promise<Observation> {
  if (!state.events) return noEvents(state);
  const handshakes: Handshake[] = [];
  const calls: GrpcAnswer[] = [];
  const seen = () => ({
    sent: [
      ...handshakes.map(
        (handshake, index) => `# WebSocket ${index + 1}\n${handshake.sent}${handshake.connection?.log.filter((line) => line.startsWith('→')).join('\n') ?? ''}`,
      ),
      ...calls.map((call) => `# gRPC\n${call.sent}`),
    ].join('\n\n'),
    got: [
      ...handshakes.map((handshake, index) => `# WebSocket ${index + 1}\n${handshake.got}\n\n${handshake.connection?.log.join('\n') ?? ''}`),
      ...calls.map((call) => `# gRPC\n${call.got}`),
    ].join('\n\n'),
  });
  try {
    for (let index = 0; index < count; index += 1) {
      const handshake = await openWebSocket(wsContext(context, state.events), EVENTS_PATH);
      handshakes.push(handshake);
      const dropped = browserWouldDrop(handshake);
      if (handshake.status !== 101 || dropped) {
        return failed(
          seen().sent,
          seen().got,
          dropped ?? { en: `the handshake answered ${handshake.status}, not 101`, ru: `рукопожатие ответило ${handshake.status}, а не 101` },
        );
      }
    }
    const sockets = handshakes.map((handshake) => handshake.connection!);
    // each connection set up on the server's side before the check acts (websocket-client.ts,
    // roundTrip): a server that answers no ping only waits this long, and is judged as before
    await Promise.all(sockets.map((socket) => socket.roundTrip(OWN_SERVER_LIMITS.shortEventWaitMs)));
    const expectations = await talk(sockets, calls);
    return verdict(seen().sent, seen().got, expectations);
  } catch (error) {
    throw withSeen(error, seen());
  } finally {
    for (const handshake of handshakes) handshake.connection?.close();
  }
}

async function createOverGrpc(
  context: SuiteContext,
  state: GrpcWebSocketState,
  name: string,
  email: string,
): Promise<{ answer: GrpcAnswer; user: User | undefined }> {
  const answer = await grpcCall(context, {
    path: `${SERVICE}/CreateUser`,
    messages: [toBinary(CreateUserRequestSchema, create(CreateUserRequestSchema, { name, email }))],
  });
  const user = answer.status === STATUS.OK && answer.messages[0] ? fromBinary(CreateUserResponseSchema, answer.messages[0]).user : undefined;
  if (user) state.made.push(user.id);
  return { answer, user };
}

async function getByEmail(context: SuiteContext, email: string): Promise<{ answer: GrpcAnswer; user: User | undefined }> {
  const answer = await grpcCall(context, {
    path: `${SERVICE}/GetUser`,
    messages: [toBinary(GetUserRequestSchema, create(GetUserRequestSchema, { key: { case: 'email', value: email } }))],
  });
  const user = answer.status === STATUS.OK && answer.messages[0] ? fromBinary(GetUserResponseSchema, answer.messages[0]).user : undefined;
  return { answer, user };
}

function sendJson(socket: CheckedWebSocket, value: unknown): void {
  socket.send({ opcode: OPCODE.text, payload: Buffer.from(JSON.stringify(value)) });
}

function createdOk(created: { answer: GrpcAnswer; user: User | undefined }): Expectation {
  const [ok, why] = statusIs(created.answer, STATUS.OK);
  return [ok && created.user !== undefined, ok ? { en: 'CreateUser answered OK without a user', ru: 'CreateUser ответил OK без пользователя' } : why];
}

/** To whom an event did not come, in both languages ("to WebSocket 2" / "на WebSocket 2"). */
const TO = {
  first: { en: ' to WebSocket 1', ru: ' на WebSocket 1' },
  second: { en: ' to WebSocket 2', ru: ' на WebSocket 2' },
  sender: { en: ' to the sender', ru: ' отправителю' },
  // the comma closes the clause before "за N мс" follows
  stillOpen: { en: ' to the WebSocket still open', ru: ' на WebSocket, который остался открытым,' },
} satisfies Record<string, Bilingual>;

/** Where an event came first, for the others' shorter wait ("within 1500 ms of its arrival on WebSocket 1"). */
const ON = {
  first: { en: 'on WebSocket 1', ru: 'на WebSocket 1' },
  second: { en: 'on WebSocket 2', ru: 'на WebSocket 2' },
  sender: { en: 'at the sender', ru: 'отправителю' },
} satisfies Record<string, Bilingual>;

/** `within`: the wait the socket had, as eventsOn says it ("within 5000 ms"). */
const noEventFor = (email: string, within: Bilingual, to: Bilingual = { en: '', ru: '' }): Bilingual => ({
  en: `no {"type":"user.created"} event with "email": "${email}" came${to.en} ${within.en}`,
  ru: `событие {"type":"user.created"} с "email": "${email}" не пришло${to.ru} ${within.ru}`,
});

/** Keys of the event's user that proto3 JSON would have written in lowerCamelCase. */
const snakeKeys = (user: Record<string, unknown>) => Object.keys(user).filter((key) => key.includes('_'));

/** Each field the gRPC answer's user has in proto3 JSON, compared with the event's (timestamps as instants). */
function fieldDifferences(expected: JsonObject, got: Record<string, unknown>): string[] {
  return Object.entries(expected).flatMap(([key, value]) => {
    const actual = got[key];
    if (key.endsWith('At') && typeof value === 'string')
      return typeof actual === 'string' && Date.parse(actual) === Date.parse(value) ? [] : [`${key}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(value)}`];
    return JSON.stringify(actual) === JSON.stringify(value) ? [] : [`${key}: ${JSON.stringify(actual)} ≠ ${JSON.stringify(value)}`];
  });
}

const handshakeChecks: CheckDefinition<GrpcWebSocketState>[] = [
  {
    id: 'events-handshake',
    name: { en: 'The WebSocket at /events answers the handshake', ru: 'WebSocket на /events отвечает на рукопожатие' },
    expected: {
      en: `GET ${EVENTS_PATH} with Upgrade: websocket on this host:port, else on port+1: 101 with the right Sec-WebSocket-Accept`,
      ru: `GET ${EVENTS_PATH} с Upgrade: websocket на этом host:port, иначе на порту +1: 101 с правильным Sec-WebSocket-Accept`,
    },
    why: {
      clause: `RFC 6455 §4.2.2; ${CONTRACT}`,
      text: {
        en: "A browser listens for the service's events on a WebSocket; grpcio cannot share its port, so the contract looks on the next one too.",
        ru: 'Браузер слушает события сервиса через WebSocket; grpcio не умеет делить свой порт, поэтому контракт ищет и на следующем порту.',
      },
    },
    async run(_context, state) {
      const { sent, got } = { sent: state.tried.sent.join('\n'), got: state.tried.got.join('\n') };
      if (!state.events) return noEvents(state);
      const dropped = state.handshake ? browserWouldDrop(state.handshake) : null;
      return verdict(sent, got, dropped ? [[false, dropped]] : []);
    },
  },
  {
    id: 'create-event',
    name: { en: 'A user created over gRPC arrives as an event', ru: 'Пользователь, созданный через gRPC, приходит событием' },
    expected: {
      en: 'CreateUser OK, then on the WebSocket a text message {"type":"user.created","user":{…}} with the same id, name and email',
      ru: 'CreateUser OK, затем по WebSocket текстовое сообщение {"type":"user.created","user":{…}} с тем же id, именем и email',
    },
    why: {
      clause: `${CONTRACT}: gRPC → WebSocket`,
      text: {
        en: 'One service, two doors: a change made through gRPC is pushed at once to everyone listening on the WebSocket.',
        ru: 'Один сервис, две двери: изменение, сделанное через gRPC, сразу отправляется всем, кто слушает WebSocket.',
      },
    },
    run: (context, state) =>
      withSockets(context, state, 1, async ([socket], calls) => {
        const email = tag(context, 'event');
        const created = await createOverGrpc(context, state, 'Wirelab event check', email);
        calls.push(created.answer);
        if (!createdOk(created)[0]) return [createdOk(created)];
        const { event, within } = await eventOn(state, socket!, createdWithEmail(email));
        const user = eventUser(event);
        return [
          createdOk(created),
          [event !== null, noEventFor(email, within)],
          [
            user?.id === created.user?.id && user?.name === created.user?.name,
            {
              en: `the event's user has id ${JSON.stringify(user?.id)} and name ${JSON.stringify(user?.name)}, CreateUser answered ${created.user?.id} and "${created.user?.name}"`,
              ru: `у пользователя в событии id ${JSON.stringify(user?.id)} и имя ${JSON.stringify(user?.name)}, а CreateUser ответил ${created.user?.id} и «${created.user?.name}»`,
            },
          ],
        ];
      }),
  },
  {
    id: 'event-proto3-json',
    name: { en: "The event's user is proto3 JSON", ru: 'Пользователь в событии — JSON proto3' },
    expected: {
      en: 'every field CreateUser answered, in the event under its JSON name with its proto3 JSON value: createdAt (not created_at) as RFC 3339, "status": "USER_STATUS_ACTIVE" (not 1)',
      ru: 'каждое поле из ответа CreateUser есть в событии под своим JSON-именем и со значением JSON proto3: createdAt (а не created_at) в RFC 3339, "status": "USER_STATUS_ACTIVE" (а не 1)',
    },
    why: {
      clause: 'Protocol Buffers ProtoJSON format; ' + CONTRACT,
      text: {
        en: "The browser reads the same User as a gRPC client: proto3's JSON mapping (MessageToDict, protojson) names fields in lowerCamelCase and enums by name.",
        ru: 'Браузер читает того же User, что и клиент gRPC: отображение proto3 в JSON (MessageToDict, protojson) даёт имена в lowerCamelCase и перечисления по имени.',
      },
    },
    run: (context, state) =>
      withSockets(context, state, 1, async ([socket], calls) => {
        const email = tag(context, 'json');
        const created = await createOverGrpc(context, state, 'Wirelab JSON check', email);
        calls.push(created.answer);
        if (!createdOk(created)[0]) return [createdOk(created)];
        const { event, within } = await eventOn(state, socket!, createdWithEmail(email));
        const user = eventUser(event);
        const snake = user ? snakeKeys(user) : [];
        const differences = user && created.user ? fieldDifferences(toJson(UserSchema, created.user) as JsonObject, user) : [];
        return [
          createdOk(created),
          [user !== undefined, noEventFor(email, within)],
          [
            snake.length === 0,
            {
              en: `snake_case keys: ${snake.join(', ')} (proto3 JSON writes lowerCamelCase: createdAt)`,
              ru: `ключи в snake_case: ${snake.join(', ')} (JSON proto3 пишет lowerCamelCase: createdAt)`,
            },
          ],
          [
            differences.length === 0,
            {
              en: `differs from CreateUser's user in proto3 JSON (got ≠ expected): ${differences.join('; ')}`,
              ru: `отличается от пользователя из ответа CreateUser в JSON proto3 (пришло ≠ ожидалось): ${differences.join('; ')}`,
            },
          ],
        ];
      }),
  },
];

const fanOutChecks: CheckDefinition<GrpcWebSocketState>[] = [
  {
    id: 'every-client-gets-event',
    name: { en: 'Every connected client gets the event', ru: 'Событие получает каждый подключённый клиент' },
    expected: {
      en: 'two WebSockets open; CreateUser: each receives the user.created event',
      ru: 'открыты два WebSocket; CreateUser: событие user.created приходит на каждый',
    },
    why: {
      clause: `${CONTRACT}: broadcast`,
      text: {
        en: 'The server keeps the set of open connections and sends the event to each, not only to the last one that connected.',
        ru: 'Сервер хранит множество открытых соединений и шлёт событие каждому, а не только последнему подключившемуся.',
      },
    },
    run: (context, state) =>
      withSockets(context, state, 2, async ([first, second], calls) => {
        const email = tag(context, 'both');
        const created = await createOverGrpc(context, state, 'Wirelab broadcast check', email);
        calls.push(created.answer);
        if (!createdOk(created)[0]) return [createdOk(created)];
        const [toFirst, toSecond] = await eventsOn(state, [first!, second!], createdWithEmail(email), [ON.first, ON.second]);
        return [
          createdOk(created),
          [toFirst!.event !== null, noEventFor(email, toFirst!.within, TO.first)],
          [toSecond!.event !== null, noEventFor(email, toSecond!.within, TO.second)],
        ];
      }),
  },
  {
    id: 'no-event-for-invalid',
    name: { en: 'A refused CreateUser makes no event', ru: 'Отклонённый CreateUser не порождает события' },
    expected: {
      en: 'CreateUser with an empty name: INVALID_ARGUMENT; then a valid CreateUser: the first user.created on the WebSocket is the valid one',
      ru: 'CreateUser с пустым именем: INVALID_ARGUMENT; затем правильный CreateUser: первое user.created по WebSocket — о правильном',
    },
    why: {
      clause: `${CONTRACT}: events are facts`,
      text: {
        en: 'An event says what happened: a user the service refused was never created, so nobody may be told it was.',
        ru: 'Событие сообщает о случившемся: пользователь, которого сервис отклонил, не создан, и сообщать о нём никому нельзя.',
      },
    },
    run: (context, state) =>
      withSockets(context, state, 1, async ([socket], calls) => {
        const refusedEmail = tag(context, 'refused');
        const refused = await createOverGrpc(context, state, '', refusedEmail);
        calls.push(refused.answer);
        // a refusal that did not come is the difference already: no event to wait for
        if (!statusIs(refused.answer, STATUS.INVALID_ARGUMENT)[0]) return [statusIs(refused.answer, STATUS.INVALID_ARGUMENT)];
        const email = tag(context, 'after');
        const created = await createOverGrpc(context, state, 'Wirelab after refusal', email);
        calls.push(created.answer);
        // the first user.created after the refusal is judged, whenever it comes: waiting longer
        // for it cannot let the refused user's event through (it would come first)
        const { event: first, within } = await eventOn(state, socket!, (event) => event.json?.type === 'user.created');
        const firstEmail = eventUser(first)?.email;
        return [
          statusIs(refused.answer, STATUS.INVALID_ARGUMENT),
          createdOk(created),
          [first !== null, noEventFor(email, within)],
          [
            firstEmail === email,
            {
              en: `the first user.created is about ${JSON.stringify(firstEmail)}${firstEmail === refusedEmail ? ', the user CreateUser refused' : ''}, not the valid user ${email}`,
              ru: `первое user.created — о ${JSON.stringify(firstEmail)}${firstEmail === refusedEmail ? ', пользователе, которого CreateUser отклонил' : ''}, а не о правильном пользователе ${email}`,
            },
          ],
        ];
      }),
  },
];

const webSocketToGrpcChecks: CheckDefinition<GrpcWebSocketState>[] = [
  {
    id: 'ws-create-visible-grpc',
    name: { en: 'A user created on the WebSocket is found over gRPC', ru: 'Пользователь, созданный через WebSocket, находится через gRPC' },
    expected: {
      en: 'on the WebSocket {"type":"user.create","user":{"name":…,"email":…}}; after its user.created answer, GetUser by that email: OK with that name',
      ru: 'по WebSocket {"type":"user.create","user":{"name":…,"email":…}}; после ответа user.created — GetUser по этому email: OK с этим именем',
    },
    why: {
      clause: `${CONTRACT}: WebSocket → gRPC`,
      text: {
        en: 'Both doors lead to one store: what a browser creates on the WebSocket, a gRPC client reads at once.',
        ru: 'Обе двери ведут в одно хранилище: созданное браузером по WebSocket клиент gRPC сразу читает.',
      },
    },
    run: (context, state) =>
      withSockets(context, state, 1, async ([socket], calls) => {
        const email = tag(context, 'ws');
        sendJson(socket!, { type: 'user.create', user: { name: 'Wirelab WebSocket user', email } });
        const { event: answer, within } = await eventOn(state, socket!, (event) => createdWithEmail(email)(event) || event.json?.type === 'error');
        const found = await getByEmail(context, email);
        calls.push(found.answer);
        if (found.user) state.made.push(found.user.id);
        return [
          statusIs(found.answer, STATUS.OK),
          [
            found.user?.name === 'Wirelab WebSocket user',
            { en: `GetUser's user is named ${JSON.stringify(found.user?.name)}`, ru: `у пользователя из GetUser имя ${JSON.stringify(found.user?.name)}` },
          ],
          [answer?.json?.type === 'user.created', noEventFor(email, within, TO.sender)],
        ];
      }),
  },
  {
    id: 'ws-create-broadcast',
    name: { en: 'A user created on the WebSocket reaches the other clients', ru: 'Пользователь, созданный через WebSocket, доходит до других клиентов' },
    expected: {
      en: 'two WebSockets; {"type":"user.create",…} on the first: user.created with the new id on both',
      ru: 'два WebSocket; {"type":"user.create",…} по первому: user.created с новым id на обоих',
    },
    why: {
      clause: `${CONTRACT}: broadcast`,
      text: {
        en: "Whichever door a change came through, every listener hears of it: the WebSocket's own changes too.",
        ru: 'Через какую бы дверь ни пришло изменение, о нём слышат все слушатели — и об изменениях с самого WebSocket тоже.',
      },
    },
    run: (context, state) =>
      withSockets(context, state, 2, async ([sender, other]) => {
        const email = tag(context, 'ws-both');
        sendJson(sender!, { type: 'user.create', user: { name: 'Wirelab WebSocket broadcast', email } });
        const [toSender, toOther] = await eventsOn(state, [sender!, other!], createdWithEmail(email), [ON.sender, ON.second]);
        const id = eventUser(toOther!.event ?? toSender!.event)?.id;
        if (typeof id === 'number') state.made.push(id);
        return [
          [toOther!.event !== null, noEventFor(email, toOther!.within, TO.second)],
          [toSender!.event !== null, noEventFor(email, toSender!.within, TO.sender)],
          [
            typeof id === 'number' && id > 0,
            { en: `the event's user has no id (${JSON.stringify(id)})`, ru: `у пользователя в событии нет id (${JSON.stringify(id)})` },
          ],
        ];
      }),
  },
  {
    id: 'ws-invalid-error',
    name: {
      en: 'A bad user.create is answered with an error, the connection lives on',
      ru: 'На неверный user.create приходит ошибка, соединение продолжает работать',
    },
    expected: {
      en: '{"type":"user.create"} with an empty name: {"type":"error","code":"INVALID_ARGUMENT",…} to the sender, no user (GetUser: NOT_FOUND), and the same connection still creates a valid user',
      ru: '{"type":"user.create"} с пустым именем: отправителю {"type":"error","code":"INVALID_ARGUMENT",…}, пользователя нет (GetUser: NOT_FOUND), и то же соединение затем создаёт правильного пользователя',
    },
    why: {
      clause: `${CONTRACT}: errors; RFC 6455 §7.1.7`,
      text: {
        en: "One bad message is the client's mistake, told back in the protocol's words (the same code gRPC would give); it is no reason to drop the connection.",
        ru: 'Одно неверное сообщение — ошибка клиента, о ней сообщают словами протокола (тем же кодом, что дал бы gRPC); рвать из-за неё соединение незачем.',
      },
    },
    run: (context, state) =>
      withSockets(context, state, 1, async ([socket], calls) => {
        const badEmail = tag(context, 'ws-bad');
        sendJson(socket!, { type: 'user.create', user: { name: '', email: badEmail } });
        const { event: error, within: errorWithin } = await eventOn(
          state,
          socket!,
          (event) => event.json?.type === 'error' || createdWithEmail(badEmail)(event),
        );
        const errorAnswered: Expectation = [
          error?.json?.type === 'error' && error.json.code === 'INVALID_ARGUMENT',
          {
            en: `the answer was ${error ? error.text : `nothing ${errorWithin.en}`}, not {"type":"error","code":"INVALID_ARGUMENT","message":…}`,
            ru: `ответ — ${error ? error.text : `ничего ${errorWithin.ru}`}, а не {"type":"error","code":"INVALID_ARGUMENT","message":…}`,
          },
        ];
        if (!errorAnswered[0]) return [errorAnswered];
        const email = tag(context, 'ws-good');
        sendJson(socket!, { type: 'user.create', user: { name: 'Wirelab after a bad message', email } });
        const { event: good, within } = await eventOn(state, socket!, createdWithEmail(email));
        const id = eventUser(good)?.id;
        if (typeof id === 'number') state.made.push(id);
        const found = await getByEmail(context, badEmail);
        calls.push(found.answer);
        if (found.user) state.made.push(found.user.id);
        return [
          errorAnswered,
          [
            good !== null,
            {
              en: `after the error, ${noEventFor(email, within).en}: the connection no longer works`,
              ru: `после ошибки ${noEventFor(email, within).ru}: соединение больше не работает`,
            },
          ],
          statusIs(found.answer, STATUS.NOT_FOUND),
        ];
      }),
  },
];

const closingChecks: CheckDefinition<GrpcWebSocketState>[] = [
  {
    id: 'close-1000',
    name: { en: 'Close 1000 is answered with 1000', ru: 'На закрытие 1000 отвечают 1000' },
    expected: { en: 'a close frame with code 1000, then the server closes TCP', ru: 'закрывающий кадр с кодом 1000, затем сервер закрывает TCP' },
    why: {
      clause: 'RFC 6455 §5.5.1, §7.4.1',
      text: {
        en: 'The side that receives a close frame answers with one (echoing the code); then the server closes the TCP connection first.',
        ru: 'Получивший закрывающий кадр отвечает своим (повторяя код); затем сервер первым закрывает TCP-соединение.',
      },
    },
    run: (context, state) =>
      withSockets(context, state, 1, async ([socket]) => {
        socket!.send({ opcode: OPCODE.close, payload: Buffer.from([0x03, 0xe8]) });
        let frame = await socket!.next();
        while (frame && frame.opcode === OPCODE.text) frame = await socket!.next();
        await socket!.closed();
        const code = frameCloseCode(frame);
        return [
          [
            code === 1000,
            {
              en: code === null ? 'no close frame with a code came back' : `close code ${code}, not 1000`,
              ru: code === null ? 'закрывающий кадр с кодом не пришёл' : `код закрытия ${code}, а не 1000`,
            },
          ],
          [socket!.ended, { en: 'the server kept TCP open', ru: 'сервер не закрыл TCP' }],
        ];
      }),
  },
  {
    id: 'closed-client-forgotten',
    name: { en: 'A closed client does not break the service', ru: 'Закрытый клиент не ломает сервис' },
    expected: {
      en: 'a WebSocket closed (close 1000) and another one dropped without a close frame; then CreateUser: OK, and a WebSocket still open gets the event',
      ru: 'один WebSocket закрыт (close 1000), другой оборван без закрывающего кадра; затем CreateUser: OK, а открытый WebSocket получает событие',
    },
    why: {
      clause: `${CONTRACT}: broadcast; RFC 6455 §7.1.1`,
      text: {
        en: "Clients leave, cleanly or not (a laptop lid): the server forgets them, and a send to a gone client must not fail the gRPC call or stop the others' events.",
        ru: 'Клиенты уходят — чисто или нет (закрытая крышка ноутбука): сервер их забывает, и отправка ушедшему клиенту не должна ломать вызов gRPC или события остальных.',
      },
    },
    run: (context, state) =>
      withSockets(context, state, 3, async ([closing, dropped, open], calls) => {
        closing!.send({ opcode: OPCODE.close, payload: Buffer.from([0x03, 0xe8]) });
        await closing!.closed();
        const droppedGone = once(dropped!.socket, 'close');
        dropped!.close();
        await droppedGone;
        // the server learns of the dropped one when its TCP ends: a round trip on the open one lets it
        await open!.roundTrip(OWN_SERVER_LIMITS.checkTimeoutMs);
        const email = tag(context, 'after-close');
        const created = await createOverGrpc(context, state, 'Wirelab after a close', email);
        calls.push(created.answer);
        if (!createdOk(created)[0]) return [createdOk(created)];
        const { event, within } = await eventOn(state, open!, createdWithEmail(email));
        return [createdOk(created), [event !== null, noEventFor(email, within, TO.stillOpen)]];
      }),
  },
];

export const grpcWebSocketSuite = defineSuite<GrpcWebSocketState>({
  prepare: findEvents,
  checks: [...handshakeChecks, ...fanOutChecks, ...webSocketToGrpcChecks, ...closingChecks],
  async cleanUp(context, state) {
    for (const id of new Set(state.made)) {
      await grpcCall(context, { path: `${SERVICE}/DeleteUser`, messages: [toBinary(DeleteUserRequestSchema, create(DeleteUserRequestSchema, { id }))] }).catch(
        () => undefined,
      );
    }
  },
});
