// The subscription half of the GraphQL suite: graphql-transport-ws at /graphql (graphql-ws'
// PROTOCOL.md, which Wirelab's own server follows to the close code). Every check opens its own
// connection. A server that does not upgrade /graphql at all offers no subscriptions: those
// checks are "not offered", never passed.
import type { Bilingual } from '../../../shared/bilingual.ts';
import { failed, notOffered, verdict, withSeen, type CheckDefinition, type Observation, type SuiteContext, type Expectation } from '../check-kit.ts';
import { closedWith, dig, openTransport, TRANSPORT_WS, type ReadOutcome, type TransportMessage, type TransportSession } from '../graphql-client.ts';
import { browserWouldDrop, type Handshake } from '../websocket-client.ts';
import { createUserByMutation, type GraphqlState } from './graphql-users.ts';
import { TRANSPORT_WS_CLOSE } from '../../../wire/graphql/transport-ws-messages.ts';

const USER_CHANGED = 'subscription { userChanged { kind id user { email } } }';
const PROTOCOL_MD = 'graphql-ws PROTOCOL.md';

/** A subscription may start a moment after its subscribe message (no message says it has): one more event then. */
const EVENT_ATTEMPTS = 3;
const EVENT_WAIT_MS = 1_500;

function notUpgraded(handshake: Handshake): Observation {
  return notOffered(handshake.sent, handshake.got, {
    en: `/graphql answered ${handshake.status || 'nothing'} to a WebSocket upgrade, not 101: the server offers no subscriptions over ${TRANSPORT_WS}.`,
    ru: `/graphql ответил ${handshake.status || 'ничем'} на переход на WebSocket, а не 101: сервер не предлагает подписок по ${TRANSPORT_WS}.`,
  });
}

const noAck = (outcome: ReadOutcome): Bilingual => ({
  en: `no connection_ack after connection_init${outcome.closeCode !== null ? ` (closed with ${outcome.closeCode})` : ''}`,
  ru: `после connection_init не пришёл connection_ack${outcome.closeCode !== null ? ` (закрыто с кодом ${outcome.closeCode})` : ''}`,
});

/** Opens a session, lets `talk` run on it, judges; the frames both ways (and any HTTP in between) are the report. */
async function onTransport(context: SuiteContext, talk: (session: TransportSession, http: string[]) => Promise<Expectation[]>): Promise<Observation> {
  const { handshake, session } = await openTransport(context);
  if (!session) return notUpgraded(handshake);
  const http: string[] = [];
  const seen = () => {
    const { sent, got } = session.transcript();
    const over = http.length ? `\n\n(over HTTP)\n${http.join('\n\n')}` : '';
    return { sent: `${sent}${over}`, got: `${got}${over}` };
  };
  try {
    const wrongAccept = browserWouldDrop(handshake);
    if (wrongAccept) return failed(seen().sent, seen().got, wrongAccept);
    const expectations = await talk(session, http);
    const masked = browserWouldDrop(handshake);
    const { sent, got } = seen();
    return verdict(sent, got, masked ? [[false, masked], ...expectations] : expectations);
  } catch (error) {
    const masked = browserWouldDrop(handshake);
    if (masked) return failed(seen().sent, seen().got, masked);
    throw withSeen(error, seen());
  } finally {
    session.close();
  }
}

/** Initialises, or answers the difference when the server would not acknowledge. */
async function initialised(session: TransportSession): Promise<Expectation[] | null> {
  const ack = await session.initialise();
  return ack.found ? null : [[false, noAck(ack)]];
}

const carriesEmail = (id: string, email: string) => (message: TransportMessage) =>
  message.id === id &&
  (message.type === 'error' ||
    message.type === 'complete' ||
    (message.type === 'next' && dig(message.payload, 'data', 'userChanged', 'user', 'email') === email));

/**
 * Creates users over HTTP until the subscription `id` carries one (a subscription may go live a
 * moment after its subscribe), or the connection ends. The HTTP exchanges go into `http`.
 */
async function eventFor(
  context: SuiteContext,
  state: GraphqlState,
  session: TransportSession,
  id: string,
  http: string[],
): Promise<{ outcome: ReadOutcome; seen: TransportMessage[] }> {
  const seen: TransportMessage[] = [];
  let outcome: ReadOutcome = { found: null, seen, closeCode: null, ended: false, timedOut: true };
  for (let attempt = 0; attempt < EVENT_ATTEMPTS && !outcome.found && outcome.timedOut; attempt += 1) {
    const user = await createUserByMutation(context, state, `event-${attempt}`);
    if (user.answer) http.push(`${user.answer.sent}\n\n${user.answer.got}`);
    if (!user.id) return { outcome: { ...outcome, timedOut: false }, seen };
    outcome = await session.readUntil(carriesEmail(id, user.email), EVENT_WAIT_MS);
    seen.push(...outcome.seen);
  }
  return { outcome, seen };
}

function nextArrived(outcome: ReadOutcome, id: string): Expectation[] {
  const kind = outcome.found?.type;
  return [
    [
      kind !== 'error',
      {
        en: `the subscription "${id}" got an error: ${JSON.stringify(outcome.found?.payload)}`,
        ru: `подписка "${id}" получила error: ${JSON.stringify(outcome.found?.payload)}`,
      },
    ],
    [
      kind === 'next',
      {
        en: `no "next" for "${id}" carrying the created user${outcome.closeCode !== null ? ` (closed with ${outcome.closeCode})` : ''}`,
        ru: `не пришёл "next" для "${id}" с созданным пользователем${outcome.closeCode !== null ? ` (закрыто с кодом ${outcome.closeCode})` : ''}`,
      },
    ],
    [
      dig(outcome.found?.payload, 'data', 'userChanged', 'kind') === 'CREATED',
      { en: 'payload.data.userChanged.kind is not CREATED', ru: 'payload.data.userChanged.kind — не CREATED' },
    ],
  ];
}

const liveChecks: CheckDefinition<GraphqlState>[] = [
  {
    id: 'ws-init-ack',
    name: { en: 'graphql-transport-ws: connection_init is acknowledged', ru: 'graphql-transport-ws: на connection_init приходит connection_ack' },
    expected: {
      en: `101 with Sec-WebSocket-Protocol: ${TRANSPORT_WS}, then connection_ack`,
      ru: `101 с Sec-WebSocket-Protocol: ${TRANSPORT_WS}, затем connection_ack`,
    },
    why: {
      clause: `${PROTOCOL_MD}, «ConnectionInit», «ConnectionAck»; RFC 6455 §4.2.2`,
      text: {
        en: 'The server picks the subprotocol the client offered, so both know the messages; nothing else may happen before connection_init is acknowledged.',
        ru: 'Сервер выбирает предложенный клиентом подпротокол, чтобы обе стороны знали формат сообщений; до подтверждения connection_init ничего другого происходить не должно.',
      },
    },
    run: (context) =>
      onTransport(context, async (session) => {
        const chosen = session.handshake.headers.get('sec-websocket-protocol');
        const ack = await session.initialise();
        return [
          [
            chosen === TRANSPORT_WS,
            {
              en: `Sec-WebSocket-Protocol is ${chosen ?? 'missing'}, not ${TRANSPORT_WS}`,
              ru: `Sec-WebSocket-Protocol: ${chosen ?? 'нет'}, а не ${TRANSPORT_WS}`,
            },
          ],
          [ack.found !== null, noAck(ack)],
        ];
      }),
  },
  {
    id: 'ws-subscribe-next',
    name: { en: 'A subscription gets the event a mutation made', ru: 'Подписка получает событие, созданное мутацией' },
    expected: {
      en: 'subscribe to userChanged, create a user over HTTP: a "next" with that id and payload.data.userChanged (kind CREATED, the user\'s email)',
      ru: 'подписка на userChanged, создание пользователя через HTTP: "next" с тем же id и payload.data.userChanged (kind CREATED, email пользователя)',
    },
    why: {
      clause: `${PROTOCOL_MD}, «Subscribe», «Next»`,
      text: {
        en: 'After subscribe, each event of the subscription comes as "next" carrying the id the client chose, so one connection carries many subscriptions.',
        ru: 'После subscribe каждое событие подписки приходит сообщением "next" с id, который выбрал клиент, поэтому по одному соединению идёт много подписок.',
      },
    },
    run: (context, state) =>
      onTransport(context, async (session, http) => {
        const refused = await initialised(session);
        if (refused) return refused;
        session.send({ id: 'wirelab-next', type: 'subscribe', payload: { query: USER_CHANGED } });
        const { outcome } = await eventFor(context, state, session, 'wirelab-next', http);
        return nextArrived(outcome, 'wirelab-next');
      }),
  },
  {
    id: 'ws-complete-stops',
    name: { en: 'complete stops a subscription', ru: 'complete останавливает подписку' },
    expected: {
      en: 'subscribe "wirelab-stopped" and see it live (an event arrives), complete it, subscribe "wirelab-live", ping (its pong: the complete was read), create two users one after the other: "next" for wirelab-live only, none for wirelab-stopped',
      ru: 'subscribe "wirelab-stopped" и убедиться, что она работает (приходит событие), complete для неё, subscribe "wirelab-live", ping (pong в ответ — значит, complete прочитан), создание двух пользователей один за другим: "next" только для wirelab-live, для wirelab-stopped — ни одного',
    },
    why: {
      clause: `${PROTOCOL_MD}, «Complete»`,
      text: {
        en: "A client's complete says it stopped listening: the server ends that subscription and sends nothing more for its id.",
        ru: 'complete от клиента значит, что он перестал слушать: сервер завершает эту подписку и больше ничего не шлёт с её id.',
      },
    },
    run: (context, state) =>
      onTransport(context, async (session, http) => {
        const refused = await initialised(session);
        if (refused) return refused;
        session.send({ id: 'wirelab-stopped', type: 'subscribe', payload: { query: USER_CHANGED } });
        const live = await eventFor(context, state, session, 'wirelab-stopped', http);
        if (live.outcome.found?.type !== 'next') return nextArrived(live.outcome, 'wirelab-stopped');
        session.send({ id: 'wirelab-stopped', type: 'complete' });
        session.send({ id: 'wirelab-live', type: 'subscribe', payload: { query: USER_CHANGED } });
        // A ping before the next user: its pong says the server has read the complete. Without it
        // the mutation (another connection) may overtake the complete, and the "next" the server
        // rightly sent for wirelab-stopped before reading it would count as a stray.
        session.send({ type: 'ping' });
        const read = await session.readUntil((message) => message.type === 'pong');
        if (!read.found) return [[false, { en: 'no pong came back after complete', ru: 'после complete не пришёл pong' }]];
        const { outcome, seen } = await eventFor(context, state, session, 'wirelab-live', http);
        // A second event behind the first: a server that sends each subscription's events from a
        // task of its own (Go's goroutines) may send the first event's stray "next" after a pong,
        // but not after the next event has reached the live subscription and a pong behind it.
        const second = outcome.found?.type === 'next' ? await eventFor(context, state, session, 'wirelab-live', http) : { seen: [] };
        session.send({ type: 'ping' });
        const barrier = await session.readUntil((message) => message.type === 'pong');
        const stray = [...seen, ...second.seen, ...barrier.seen].some((message) => message.id === 'wirelab-stopped' && message.type === 'next');
        return [
          ...nextArrived(outcome, 'wirelab-live'),
          [!stray, { en: '"next" came for wirelab-stopped after its complete', ru: 'для wirelab-stopped пришёл "next" после его complete' }],
        ];
      }),
  },
  {
    id: 'ws-ping-pong',
    name: { en: 'ping is answered by pong', ru: 'На ping приходит pong' },
    expected: { en: '{"type":"pong"} after {"type":"ping"}', ru: '{"type":"pong"} в ответ на {"type":"ping"}' },
    why: {
      clause: `${PROTOCOL_MD}, «Ping», «Pong»`,
      text: {
        en: 'Either side may ping and the other MUST answer pong as soon as possible: a check that the other side is alive, seen by the application, not only by TCP.',
        ru: 'Любая сторона может послать ping, и другая ОБЯЗАНА как можно скорее ответить pong: проверка, что собеседник жив, видная приложению, а не только TCP.',
      },
    },
    run: (context) =>
      onTransport(context, async (session) => {
        const refused = await initialised(session);
        if (refused) return refused;
        session.send({ type: 'ping' });
        const pong = await session.readUntil((message) => message.type === 'pong');
        return [[pong.found !== null, { en: 'no pong came back', ru: 'pong не пришёл' }]];
      }),
  },
];

/** A close-code check: `misbehave` sends what the server must refuse; the next thing back must be a close with `code`. */
function closeCheck(
  id: string,
  code: number,
  name: Bilingual,
  expected: Bilingual,
  why: Bilingual,
  initFirst: boolean,
  misbehave: (session: TransportSession) => void,
): CheckDefinition<GraphqlState> {
  return {
    id,
    name,
    expected,
    why: { clause: `${PROTOCOL_MD}`, text: why },
    run: (context) =>
      onTransport(context, async (session) => {
        if (initFirst) {
          const refused = await initialised(session);
          if (refused) return refused;
        }
        misbehave(session);
        const [met, difference] = closedWith(await session.readUntil(() => false), code);
        return [[met, difference]];
      }),
  };
}

const closeChecks: CheckDefinition<GraphqlState>[] = [
  closeCheck(
    'ws-subscribe-before-init-4401',
    TRANSPORT_WS_CLOSE.unauthorized,
    { en: 'subscribe before connection_init: close 4401', ru: 'subscribe до connection_init: закрытие 4401' },
    { en: 'a close frame with 4401 Unauthorized', ru: 'закрывающий кадр с кодом 4401 Unauthorized' },
    {
      en: 'Until the connection is acknowledged nobody is known: a subscribe then MUST close the socket with 4401 Unauthorized.',
      ru: 'Пока соединение не подтверждено, клиент неизвестен: subscribe в это время ОБЯЗАН закрыть сокет с кодом 4401 Unauthorized.',
    },
    false,
    (session) => session.send({ id: 'wirelab-early', type: 'subscribe', payload: { query: USER_CHANGED } }),
  ),
  closeCheck(
    'ws-second-init-4429',
    TRANSPORT_WS_CLOSE.tooManyInitialisationRequests,
    { en: 'A second connection_init: close 4429', ru: 'Второй connection_init: закрытие 4429' },
    { en: 'a close frame with 4429 Too many initialisation requests', ru: 'закрывающий кадр с кодом 4429 Too many initialisation requests' },
    {
      en: 'A connection is initialised once; a second connection_init MUST close it with 4429, so a client cannot re-authenticate midway.',
      ru: 'Соединение инициализируется один раз; второй connection_init ОБЯЗАН закрыть его с кодом 4429, чтобы клиент не мог переаутентифицироваться посреди работы.',
    },
    true,
    (session) => session.send({ type: 'connection_init', payload: {} }),
  ),
  closeCheck(
    'ws-invalid-message-4400',
    TRANSPORT_WS_CLOSE.badRequest,
    { en: 'A message of an unknown type: close 4400', ru: 'Сообщение неизвестного типа: закрытие 4400' },
    { en: 'a close frame with 4400 after {"type":"wirelab-unknown"}', ru: 'закрывающий кадр с кодом 4400 после {"type":"wirelab-unknown"}' },
    {
      en: 'A message the protocol does not define (or one that is not valid) MUST close the socket with 4400: the two sides no longer agree on what is said.',
      ru: 'Сообщение, которого протокол не определяет (или неверное), ОБЯЗАНО закрыть сокет с кодом 4400: стороны больше не понимают друг друга.',
    },
    true,
    (session) => session.send({ type: 'wirelab-unknown' }),
  ),
  closeCheck(
    'ws-duplicate-id-4409',
    TRANSPORT_WS_CLOSE.subscriberExists,
    { en: 'Two subscriptions with one id: close 4409', ru: 'Две подписки с одним id: закрытие 4409' },
    { en: 'a close frame with 4409 Subscriber for <id> already exists', ru: 'закрывающий кадр с кодом 4409 Subscriber for <id> already exists' },
    {
      en: 'The id tells subscriptions apart on the connection; a subscribe with the id of a live one MUST close with 4409.',
      ru: 'id различает подписки в одном соединении; subscribe с id уже действующей подписки ОБЯЗАН закрыть соединение с кодом 4409.',
    },
    true,
    (session) => {
      session.send({ id: 'wirelab-twice', type: 'subscribe', payload: { query: USER_CHANGED } });
      session.send({ id: 'wirelab-twice', type: 'subscribe', payload: { query: USER_CHANGED } });
    },
  ),
];

export const subscriptionChecks: CheckDefinition<GraphqlState>[] = [...liveChecks, ...closeChecks];
