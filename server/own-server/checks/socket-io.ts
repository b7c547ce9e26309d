// "Check my server" for Socket.IO: lesson 07's chat on the default namespace (Socket.IO protocol
// v5 over Engine.IO v4), as Wirelab's own server answers it (server/protocols/socket-io/README.md).
// The client is hand-written over HTTP long-polling, Engine.IO's first transport, through the
// guarded HTTP exchange: every packet is in the report as it went, and it must send what a library
// never would (a CONNECT without auth). Packets are read with the inspector's decoder (wire/engine-io).
import { decodeEngineIoPayload, encodeEngineIoPayload, type EngineIoPacket } from '../../../wire/engine-io/decode-engine-io.ts';
import { defineSuite, failed, verdict, type CheckDefinition, type SuiteContext } from '../check-kit.ts';
import { markedUnique } from '../wirelab-itself.ts';
import { httpExchange, type HttpAnswer } from '../http-exchange.ts';

const ENGINE = '/socket.io/?EIO=4&transport=polling';
const CONTRACT = "Wirelab's contract (lesson 07, server/protocols/socket-io/README.md)";
const ENGINE_IO = "Wirelab's contract (lesson 07): Engine.IO protocol v4";
const NAME = 'Wirelab check';

/** One Engine.IO session over polling: every exchange kept for the report. */
class PollingSession {
  sid: string | null = null;
  open: EngineIoPacket['open'] | undefined;
  handshake: HttpAnswer | null = null;
  private readonly sentLog: string[] = [];
  private readonly gotLog: string[] = [];

  constructor(private readonly context: SuiteContext) {}

  private path = () => `${ENGINE}&sid=${encodeURIComponent(this.sid ?? '')}`;

  private keep(answer: HttpAnswer): HttpAnswer {
    this.sentLog.push(answer.sent);
    this.gotLog.push(answer.got);
    return answer;
  }

  async start(): Promise<void> {
    this.handshake = this.keep(await httpExchange(this.context, { method: 'GET', path: ENGINE, headers: { accept: '*/*' } }));
    const first = packetsOf(this.handshake)[0];
    this.open = first?.type === 'open' ? first.open : undefined;
    this.sid = typeof this.open?.sid === 'string' ? this.open.sid : null;
  }

  /** Sends Engine.IO packets in one POST (text, record-separated). */
  async send(...packets: string[]): Promise<HttpAnswer> {
    return this.keep(
      await httpExchange(this.context, {
        method: 'POST',
        path: this.path(),
        headers: { 'content-type': 'text/plain;charset=UTF-8', accept: '*/*' },
        body: encodeEngineIoPayload(packets),
      }),
    );
  }

  /** The next poll's Socket.IO packets (messages), answering a ping on the way; a held GET's silence is the protocol. */
  async receive(): Promise<EngineIoPacket[]> {
    const answer = this.keep(await httpExchange(this.context, { method: 'GET', path: this.path(), headers: { accept: '*/*' }, silenceIsAnAnswer: true }));
    const packets = packetsOf(answer);
    if (packets.some((packet) => packet.type === 'ping')) await this.send('3');
    return packets.filter((packet) => packet.type === 'message');
  }

  /** Polls until a message matching `wanted` came (at most three polls: pings and other events may come first). */
  async receiveUntil(wanted: (packet: EngineIoPacket) => boolean): Promise<EngineIoPacket | undefined> {
    for (let poll = 0; poll < 3; poll += 1) {
      const found = (await this.receive()).find(wanted);
      if (found) return found;
    }
    return undefined;
  }

  sent = () => this.sentLog.join('\n\n');
  got = () => this.gotLog.join('\n\n');
}

function packetsOf(answer: HttpAnswer): EngineIoPacket[] {
  return answer.status === 200 ? decodeEngineIoPayload(new Uint8Array(answer.bytes), (index) => index) : [];
}

interface SocketIoState {
  session: PollingSession;
  connected: boolean;
  room: string;
  joined: boolean;
  error?: string;
  /** Sessions a check opened, closed by the clean-up. */
  opened: PollingSession[];
}

const noSession = (state: SocketIoState) =>
  failed(state.session.sent(), state.error ?? state.session.got(), {
    en: `No Engine.IO session to check this on: GET ${ENGINE} did not open one (see the first check).`,
    ru: `Не на чём проверить: GET ${ENGINE} не открыл сессию Engine.IO (см. первую проверку).`,
  });

const notConnected = (state: SocketIoState) =>
  failed(state.session.sent(), state.session.got(), {
    en: 'No Socket.IO connection to check this on: the CONNECT with a name was not accepted (see connect-with-name).',
    ru: 'Не на чём проверить: CONNECT с именем не принят (см. connect-with-name).',
  });

const socketIo = (packet: EngineIoPacket | undefined) => packet?.socketIo;

async function newSession(context: SuiteContext, state: SocketIoState): Promise<PollingSession> {
  const session = new PollingSession(context);
  state.opened.push(session);
  await session.start();
  return session;
}

const sessionChecks: CheckDefinition<SocketIoState>[] = [
  {
    id: 'eio-open',
    name: { en: 'Engine.IO handshake: the open packet', ru: 'Рукопожатие Engine.IO: пакет open' },
    expected: {
      en: `GET ${ENGINE}: 200, the first packet 0{"sid", "upgrades", "pingInterval", "pingTimeout"} (and "maxPayload", a number, if given)`,
      ru: `GET ${ENGINE}: 200, первый пакет 0{"sid", "upgrades", "pingInterval", "pingTimeout"} (и "maxPayload" числом, если он есть)`,
    },
    why: {
      clause: `${ENGINE_IO}: handshake`,
      text: {
        en: 'The open packet gives the session id every later request names, the transports to upgrade to, and the heartbeat the client must keep.',
        ru: 'Пакет open даёт id сессии, который называет каждый следующий запрос, транспорты для перехода и ритм пингов, который клиент должен соблюдать.',
      },
    },
    async run(_context, state) {
      const { session } = state;
      if (!session.handshake) return noSession(state);
      const open = session.open;
      return verdict(session.sent(), session.got(), [
        [session.handshake.status === 200, { en: `status ${session.handshake.status}, not 200`, ru: `статус ${session.handshake.status}, а не 200` }],
        [open !== undefined, { en: 'the first packet is not an open packet (0{…})', ru: 'первый пакет — не open (0{…})' }],
        [typeof open?.sid === 'string' && open.sid.length > 0, { en: 'no "sid"', ru: 'нет "sid"' }],
        [Array.isArray(open?.upgrades), { en: 'no "upgrades" list', ru: 'нет списка "upgrades"' }],
        [
          typeof open?.pingInterval === 'number' && typeof open?.pingTimeout === 'number',
          { en: '"pingInterval" and "pingTimeout" are not both numbers', ru: '"pingInterval" и "pingTimeout" — не оба числа' },
        ],
        [
          // newer servers say how big a polling payload may be; an older one (python-engineio 4.3) leaves it out
          open?.maxPayload === undefined || typeof open.maxPayload === 'number',
          { en: '"maxPayload" is there but not a number', ru: '"maxPayload" есть, но это не число' },
        ],
      ]);
    },
  },
  {
    id: 'connect-with-name',
    name: { en: 'CONNECT with a name is accepted', ru: 'CONNECT с именем принимается' },
    expected: { en: 'POST 40{"name":"Wirelab check"}, then the poll: 40{"sid": …}', ru: 'POST 40{"name":"Wirelab check"}, затем опрос: 40{"sid": …}' },
    why: {
      clause: `${CONTRACT}: namespace /`,
      text: {
        en: 'The chat namespace needs auth {"name"}; the server confirms a CONNECT with the socket\'s own id.',
        ru: 'Пространство имён чата требует auth {"name"}; сервер подтверждает CONNECT собственным id сокета.',
      },
    },
    async run(_context, state) {
      if (!state.session.sid) return noSession(state);
      await state.session.send(`40${JSON.stringify({ name: NAME })}`);
      const answer = socketIo(await state.session.receiveUntil((packet) => packet.socketIo?.namespace === '/'));
      state.connected = answer?.type === 'CONNECT' && typeof (answer.data as { sid?: unknown } | undefined)?.sid === 'string';
      return verdict(state.session.sent(), state.session.got(), [
        [
          state.connected,
          { en: `the answer is ${answer?.type ?? 'nothing'}, not CONNECT 40{"sid": …}`, ru: `ответ — ${answer?.type ?? 'ничего'}, а не CONNECT 40{"sid": …}` },
        ],
      ]);
    },
  },
  {
    id: 'join-ack',
    name: { en: 'chat:join with an ack', ru: 'chat:join с подтверждением (ack)' },
    expected: {
      en: '421["chat:join","<room>"] → 431[{"ok": true, "room": "<room>"}]',
      ru: '421["chat:join","<комната>"] → 431[{"ok": true, "room": "<комната>"}]',
    },
    why: {
      clause: `${CONTRACT}: chat:join`,
      text: {
        en: "An event with an ack id (1) must be answered by an ACK packet with the same id, carrying the handler's reply.",
        ru: 'На событие с id подтверждения (1) должен прийти пакет ACK с тем же id и ответом обработчика.',
      },
    },
    async run(_context, state) {
      if (!state.connected) return notConnected(state);
      await state.session.send(`421${JSON.stringify(['chat:join', state.room])}`);
      const ack = socketIo(await state.session.receiveUntil((packet) => packet.socketIo?.type === 'ACK'));
      const reply = Array.isArray(ack?.data) ? (ack.data[0] as { ok?: unknown; room?: unknown } | undefined) : undefined;
      state.joined = reply?.ok === true;
      return verdict(state.session.sent(), state.session.got(), [
        [ack !== undefined, { en: 'no ACK packet (3…) came', ru: 'пакет ACK (3…) не пришёл' }],
        [ack?.ackId === 1, { en: `the ACK's id is ${ack?.ackId}, not 1`, ru: `id в ACK — ${ack?.ackId}, а не 1` }],
        [reply?.ok === true && reply?.room === state.room, { en: 'the reply is not {"ok": true, "room": …}', ru: 'ответ — не {"ok": true, "room": …}' }],
      ]);
    },
  },
  {
    id: 'message-to-room',
    name: { en: 'chat:message reaches the room, the sender included', ru: 'chat:message доходит до комнаты, и до отправителя тоже' },
    expected: {
      en: '42["chat:message",{"room","text"}] → 42["chat:message",{"room","name":"Wirelab check","text","at"}]',
      ru: '42["chat:message",{"room","text"}] → 42["chat:message",{"room","name":"Wirelab check","text","at"}]',
    },
    why: {
      clause: `${CONTRACT}: chat:message`,
      text: {
        en: "A line said in a room goes to everybody in it, the sender too (io.to(room).emit, not socket.to(room)), with the sender's name.",
        ru: 'Реплика в комнате уходит всем в ней, и отправителю тоже (io.to(room).emit, а не socket.to(room)), с именем отправителя.',
      },
    },
    async run(_context, state) {
      if (!state.connected) return notConnected(state);
      const text = 'Привет, комната!';
      await state.session.send(`42${JSON.stringify(['chat:message', { room: state.room, text }])}`);
      const event = socketIo(await state.session.receiveUntil((packet) => packet.socketIo?.event === 'chat:message'));
      const payload = Array.isArray(event?.data) ? (event.data[1] as Record<string, unknown> | undefined) : undefined;
      return verdict(state.session.sent(), state.session.got(), [
        [event !== undefined, { en: 'no chat:message event came back to the sender', ru: 'событие chat:message не вернулось к отправителю' }],
        [
          payload?.room === state.room && payload?.text === text && payload?.name === NAME,
          {
            en: 'the event is not {"room", "name": "Wirelab check", "text": as sent}',
            ru: 'событие — не {"room", "name": "Wirelab check", "text": как отправлено}',
          },
        ],
      ]);
    },
  },
];

const refusalChecks: CheckDefinition<SocketIoState>[] = [
  {
    id: 'connect-without-name-error',
    name: { en: 'CONNECT without a name: CONNECT_ERROR', ru: 'CONNECT без имени: CONNECT_ERROR' },
    expected: { en: 'POST 40 (no auth) → 44{"message": …}', ru: 'POST 40 (без auth) → 44{"message": …}' },
    why: {
      clause: `${CONTRACT}: namespace /`,
      text: {
        en: 'A namespace refuses a CONNECT with CONNECT_ERROR and a message, so the client can say why instead of waiting.',
        ru: 'Пространство имён отказывает в CONNECT пакетом CONNECT_ERROR с сообщением, чтобы клиент мог сказать почему, а не ждать.',
      },
    },
    async run(context, state) {
      const session = await newSession(context, state);
      if (!session.sid) return failed(session.sent(), session.got(), { en: 'no Engine.IO session opened', ru: 'сессия Engine.IO не открылась' });
      await session.send('40');
      const answer = socketIo(await session.receiveUntil((packet) => packet.socketIo?.namespace === '/'));
      return verdict(session.sent(), session.got(), [
        [
          answer?.type === 'CONNECT_ERROR',
          { en: `the answer is ${answer?.type ?? 'nothing'}, not CONNECT_ERROR (44)`, ru: `ответ — ${answer?.type ?? 'ничего'}, а не CONNECT_ERROR (44)` },
        ],
        [
          typeof (answer?.data as { message?: unknown } | undefined)?.message === 'string',
          { en: 'the CONNECT_ERROR has no "message"', ru: 'в CONNECT_ERROR нет "message"' },
        ],
      ]);
    },
  },
  {
    id: 'unknown-sid-400',
    name: { en: 'An unknown session id: 400', ru: 'Неизвестный id сессии: 400' },
    expected: { en: `GET ${ENGINE}&sid=wirelab-unknown → 400`, ru: `GET ${ENGINE}&sid=wirelab-unknown → 400` },
    why: {
      clause: `${ENGINE_IO}: errors`,
      text: {
        en: 'A request naming a session the server does not have is refused (Engine.IO: code 1, "Session ID unknown"), so the client opens a new one.',
        ru: 'Запрос с сессией, которой у сервера нет, отклоняется (Engine.IO: код 1, «Session ID unknown»), и клиент открывает новую.',
      },
    },
    async run(context) {
      const answer = await httpExchange(context, { method: 'GET', path: `${ENGINE}&sid=wirelab-unknown`, headers: { accept: '*/*' }, silenceIsAnAnswer: true });
      return verdict(answer.sent, answer.got, [[answer.status === 400, { en: `status ${answer.status}, not 400`, ru: `статус ${answer.status}, а не 400` }]]);
    },
  },
];

export const socketIoSuite = defineSuite<SocketIoState>({
  async prepare(context) {
    const session = new PollingSession(context);
    const state: SocketIoState = { session, connected: false, room: `wirelab-${markedUnique(context, 3)}`, joined: false, opened: [session] };
    try {
      await session.start();
    } catch (error) {
      state.error = (error as Error).message;
    }
    return state;
  },
  checks: [...sessionChecks, ...refusalChecks],
  async cleanUp(_context, state) {
    // the close packet ends each session at once, rather than at its ping timeout
    for (const session of state.opened) if (session.sid) await session.send('1').catch(() => undefined);
  },
});
