// The subscription half of the GraphQL suite: graphql-transport-ws at /graphql (graphql-ws'
// PROTOCOL.md, which Wirelab's own server follows to the close code). Every check opens its own
// connection. A server that does not upgrade /graphql at all offers no subscriptions: those
// checks are "not offered", never passed.
import type { Bilingual } from '../../../shared/bilingual.ts';
import { failed, notOffered, verdict, withSeen, type CheckDefinition, type Observation, type SuiteContext, type Expectation } from '../check-kit.ts';
import { closedWith, dig, openTransport, TRANSPORT_WS, type ReadOutcome, type TransportMessage, type TransportSession } from '../graphql-client.ts';
import { browserWouldDrop, type Handshake } from '../websocket-client.ts';
import { withinWindow, type EventWaits, type EventWindow } from '../event-waits.ts';
import { createUserByMutation, type GraphqlState, type MadeUser } from './graphql-users.ts';
import { TRANSPORT_WS_CLOSE } from '../../../wire/graphql/transport-ws-messages.ts';

const USER_CHANGED = 'subscription { userChanged { kind id user { email } } }';
const PROTOCOL_MD = 'graphql-ws PROTOCOL.md';

/**
 * A subscription may start a moment after its subscribe message (no message says it has): while
 * no event came, another user every shortEventWaitMs (1.5 s), up to this many.
 */
export const EVENT_ATTEMPTS = 3;

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

const emailOf = (message: TransportMessage) => dig(message.payload, 'data', 'userChanged', 'user', 'email');

/** The subscription `id`'s error or complete, or its "next" carrying one of `emails` (read as the array grows). */
const carriesOneOf = (id: string, emails: readonly string[]) => (message: TransportMessage) =>
  message.id === id && (message.type === 'error' || message.type === 'complete' || (message.type === 'next' && emails.includes(emailOf(message) as string)));

/** What eventFor came to: how reading ended, every message read, the users it made, the window it had. */
export interface SubscriptionEvent {
  outcome: ReadOutcome;
  seen: TransportMessage[];
  /** The emails of the users it created, in order. */
  emails: string[];
  window: EventWindow;
}

/**
 * Creates users (`create`: over HTTP, the exchanges into `http`) until the subscription `id`
 * carries one, the connection ends, or the window runs out: the run's window (the check's limit,
 * or the short wait once a whole one saw no event; event-waits.ts) from the first user's answer,
 * each user at least shortEventWaitMs of its own. While nothing came, another user every
 * shortEventWaitMs, up to EVENT_ATTEMPTS: a subscription may go live a moment after its subscribe
 * (no message says when), and then only a later user reaches it. A "next" carrying any of them
 * counts, so an event that is merely slow is still taken, whichever user it was for.
 */
export async function eventFor(
  waits: EventWaits,
  session: Pick<TransportSession, 'readUntil'>,
  id: string,
  create: (tag: string) => Promise<MadeUser>,
  http: string[],
): Promise<SubscriptionEvent> {
  const window = waits.window();
  const step = waits.limits.shortEventWaitMs;
  const seen: TransportMessage[] = [];
  const emails: string[] = [];
  let outcome: ReadOutcome = { found: null, seen, closeCode: null, ended: false, timedOut: true };
  let deadline = 0;
  let nextUserAt = 0;
  let creating = true;
  for (;;) {
    if (creating && Date.now() >= nextUserAt) {
      const user = await create(`event-${emails.length}`);
      if (user.answer) http.push(`${user.answer.sent}\n\n${user.answer.got}`);
      // no user, no event to wait for
      if (!user.id && emails.length === 0) return { outcome: { ...outcome, timedOut: false }, seen, emails, window };
      if (user.id) {
        emails.push(user.email);
        const answered = Date.now();
        deadline = Math.max(emails.length === 1 ? answered + window.ms : deadline, answered + step);
        nextUserAt = answered + step;
      }
      creating = user.id !== null && emails.length < EVENT_ATTEMPTS;
    }
    const until = creating ? Math.min(deadline, nextUserAt) : deadline;
    // past the deadline still one look: a message already queued came in time, our turn was late
    const read = await session.readUntil(carriesOneOf(id, emails), Math.max(0, until - Date.now()));
    seen.push(...read.seen);
    outcome = { ...read, seen };
    if (!read.timedOut || Date.now() >= deadline) break;
  }
  waits.ended(window, outcome.found?.type === 'next' ? 'arrived' : outcome.timedOut ? 'timed-out' : 'other');
  return { outcome, seen, emails, window };
}

/** The users a check makes, with the mutation of graphql-users.ts. */
const creator = (context: SuiteContext, state: GraphqlState) => (tag: string) => createUserByMutation(context, state, tag);

/** How long eventFor waited, for a report: " within 5000 ms of the first createUser's answer (3 users created, one every 1500 ms)". */
function waited({ window, emails }: SubscriptionEvent, step: number): Bilingual {
  const within = withinWindow(window, { en: " of the first createUser's answer", ru: ' после ответа на первый createUser' });
  const users =
    emails.length > 1
      ? { en: ` (${emails.length} users created, one every ${step} ms)`, ru: ` (создано пользователей: ${emails.length}, по одному каждые ${step}\u00a0мс)` }
      : { en: '', ru: '' };
  return { en: ` ${within.en}${users.en}`, ru: ` ${within.ru}${users.ru}` };
}

function nextArrived(event: SubscriptionEvent, id: string, state: GraphqlState): Expectation[] {
  const { outcome } = event;
  const kind = outcome.found?.type;
  const closed = outcome.closeCode !== null ? { en: ` (closed with ${outcome.closeCode})`, ru: ` (закрыто с кодом ${outcome.closeCode})` } : { en: '', ru: '' };
  const within = outcome.timedOut ? waited(event, state.waits.limits.shortEventWaitMs) : { en: '', ru: '' };
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
        en: `no "next" for "${id}" carrying a created user${closed.en}${within.en}`,
        ru: `не пришёл "next" для "${id}" с созданным пользователем${closed.ru}${within.ru}`,
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
        const event = await eventFor(state.waits, session, 'wirelab-next', creator(context, state), http);
        return nextArrived(event, 'wirelab-next', state);
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
        const live = await eventFor(state.waits, session, 'wirelab-stopped', creator(context, state), http);
        if (live.outcome.found?.type !== 'next') return nextArrived(live, 'wirelab-stopped', state);
        session.send({ id: 'wirelab-stopped', type: 'complete' });
        session.send({ id: 'wirelab-live', type: 'subscribe', payload: { query: USER_CHANGED } });
        // A ping before the next user: its pong says the server has read the complete. Without it
        // the mutation (another connection) may overtake the complete, and the "next" the server
        // rightly sent for wirelab-stopped before reading it would count as a stray.
        session.send({ type: 'ping' });
        const read = await session.readUntil((message) => message.type === 'pong');
        if (!read.found) return [[false, { en: 'no pong came back after complete', ru: 'после complete не пришёл pong' }]];
        const event = await eventFor(state.waits, session, 'wirelab-live', creator(context, state), http);
        // A second event behind the first: a server that sends each subscription's events from a
        // task of its own (Go's goroutines) may send the first event's stray "next" after a pong,
        // but not after the next event has reached the live subscription and a pong behind it.
        const second =
          event.outcome.found?.type === 'next' ? await eventFor(state.waits, session, 'wirelab-live', creator(context, state), http) : { seen: [] };
        session.send({ type: 'ping' });
        const barrier = await session.readUntil((message) => message.type === 'pong');
        // A user made before the complete was read (a second one while the first one's event was
        // slow) may still reach wirelab-stopped, as late as that: it was live then. Any other
        // "next" for it is a stray; a server that ignores complete sends one for the users made after.
        const madeWhileLive = new Set<unknown>(live.emails);
        const stray = [...event.seen, ...second.seen, ...barrier.seen].some(
          (message) => message.id === 'wirelab-stopped' && message.type === 'next' && !madeWhileLive.has(emailOf(message)),
        );
        return [
          ...nextArrived(event, 'wirelab-live', state),
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
