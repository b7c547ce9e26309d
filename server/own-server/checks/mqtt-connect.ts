// The MQTT suite's CONNECT checks beyond the first three (checks/mqtt.ts): what a server must
// refuse before CONNACK (§3.1.2.1, §3.1.2.3, §3.1.0), what session present says (§3.2.2.2), a
// clean session discarding the old one (§3.1.2.4), one connection per client id (§3.1.4), and
// the client ids every server must accept (§3.1.3.1). OASIS MQTT 3.1.1's conformance statements.
import type { CheckDefinition, SuiteContext } from '../check-kit.ts';
import { connectMqtt, openMqtt, type MqttLog } from '../mqtt-client.ts';
import { PACKET, PINGREQ, encodeConnect, encodeSubscribe, readConnack, type MqttPacket } from '../../../wire/mqtt/mqtt-packets.ts';
import {
  accepted,
  clientIdOf,
  connackText,
  endSession,
  mqttExchange,
  publishedAtQos1,
  refusedWithClose,
  subscribed,
  topicOf,
  type MqttState,
} from './mqtt-exchange.ts';

/** A CONNECT that makes the server go on with the connection: CONNACK 0, or any answer to the PINGREQ after it. */
const acceptedConnect = (packet: MqttPacket) => (packet.type === PACKET.connack && readConnack(packet).returnCode === 0) || packet.type === PACKET.pingresp;

/** A CONNECT the server must refuse, and what must follow: no CONNACK 0, the connection closed. */
function refusedConnect(context: SuiteContext, log: MqttLog, bytes: Uint8Array) {
  return refusedWithClose(openMqtt(context, log, 'client'), log, bytes, acceptedConnect);
}

const CLOSED_NO_CONNACK_0 = {
  en: 'the server closes the connection; no CONNACK 0, no answer to the PINGREQ sent after the CONNECT',
  ru: 'сервер закрывает соединение: ни CONNACK 0, ни ответа на PINGREQ, отправленный следом за CONNECT',
};

export const connectChecks: CheckDefinition<MqttState>[] = [
  {
    id: 'protocol-name-closes',
    name: { en: 'A protocol name other than MQTT: not accepted', ru: 'Имя протокола не MQTT: подключение не принято' },
    expected: CLOSED_NO_CONNACK_0,
    why: {
      clause: 'MQTT 3.1.1 §3.1.2.1 [MQTT-3.1.2-1]',
      text: {
        en: 'A CONNECT opens with the protocol name "MQTT". With another name the server may close at once or treat the bytes by another specification, but it MUST NOT go on as MQTT 3.1.1.',
        ru: 'CONNECT начинается с имени протокола «MQTT». При другом имени сервер может сразу закрыть соединение или читать байты по другой спецификации, но продолжать как MQTT 3.1.1 он НЕ ДОЛЖЕН.',
      },
    },
    run: (context, state) => mqttExchange((log) => refusedConnect(context, log, encodeConnect({ clientId: clientIdOf(state, 'name'), protocolName: 'MQTX' }))),
  },
  {
    id: 'connect-reserved-flag-closes',
    name: { en: 'CONNECT with the reserved flag set: closed', ru: 'CONNECT с установленным зарезервированным флагом: закрытие' },
    expected: CLOSED_NO_CONNACK_0,
    why: {
      clause: 'MQTT 3.1.1 §3.1.2.3, §3.1.4 [MQTT-3.1.2-3, MQTT-3.1.4-1]',
      text: {
        en: 'Bit 0 of the connect flags is reserved and must be 0. The server MUST check it and, if it is set, close the connection without a CONNACK.',
        ru: 'Бит 0 флагов подключения зарезервирован и должен быть равен 0. Сервер ОБЯЗАН это проверить и, если бит установлен, закрыть соединение без CONNACK.',
      },
    },
    run: (context, state) =>
      mqttExchange((log) => refusedConnect(context, log, encodeConnect({ clientId: clientIdOf(state, 'reserved'), reservedFlag: true }))),
  },
  {
    id: 'first-packet-not-connect-closes',
    name: { en: 'A first packet other than CONNECT: closed', ru: 'Первый пакет — не CONNECT: закрытие' },
    expected: {
      en: 'the server closes the connection; no SUBACK for the SUBSCRIBE, no PINGRESP for the PINGREQ after it',
      ru: 'сервер закрывает соединение: ни SUBACK на SUBSCRIBE, ни PINGRESP на PINGREQ после него',
    },
    why: {
      clause: 'MQTT 3.1.1 §3.1, §4.8 [MQTT-3.1.0-1, MQTT-4.8.0-1]',
      text: {
        en: 'The first packet a client sends MUST be CONNECT: before it the server knows neither the client nor its session. Anything else first is a protocol violation, and the connection is closed.',
        ru: 'Первым пакетом клиента ОБЯЗАН быть CONNECT: до него сервер не знает ни клиента, ни его сессии. Любой другой пакет первым — нарушение протокола, и соединение закрывают.',
      },
    },
    run: (context, state) =>
      mqttExchange((log) =>
        refusedWithClose(openMqtt(context, log, 'client'), log, encodeSubscribe(1, [{ filter: topicOf(state, 'before-connect'), qos: 0 }]), (packet) =>
          [PACKET.suback, PACKET.pingresp, PACKET.connack].includes(packet.type as 2),
        ),
      ),
  },
  {
    id: 'session-present-0-new-session',
    name: { en: 'A new persistent session: session present 0', ru: 'Новая постоянная сессия: session present 0' },
    expected: {
      en: 'CONNECT with clean session 0 and a client id never seen: CONNACK 0 with session present 0',
      ru: 'CONNECT с clean session 0 и ещё не встречавшимся идентификатором: CONNACK 0 с session present 0',
    },
    why: {
      clause: 'MQTT 3.1.1 §3.2.2.2 [MQTT-3.2.2-3]',
      text: {
        en: 'Session present tells a returning client whether its subscriptions are still there. For a client id the server has no session of, it MUST be 0: the client then knows to subscribe again.',
        ru: 'Session present говорит вернувшемуся клиенту, на месте ли его подписки. Для идентификатора, сессии которого у сервера нет, он ОБЯЗАН быть 0: тогда клиент знает, что подписываться нужно заново.',
      },
    },
    run: async (context, state) => {
      const clientId = clientIdOf(state, 'fresh');
      state.sessions.add(clientId);
      const observation = await mqttExchange(async (log) => {
        const { connection, connack } = await connectMqtt(context, log, 'client', { clientId, cleanSession: false });
        await connection.disconnect();
        return [
          [connack?.returnCode === 0, { en: `the CONNECT got ${connackText(connack).en}`, ru: `на CONNECT пришёл ${connackText(connack).ru}` }],
          [
            connack?.sessionPresent === false,
            { en: 'CONNACK says session present 1 for a session never made', ru: 'CONNACK говорит session present 1 о сессии, которой не было' },
          ],
        ];
      });
      await endSession(context, state, clientId);
      return observation;
    },
  },
  {
    id: 'clean-session-discards-session',
    name: { en: 'Clean session 1 discards the stored session', ru: 'Clean session 1 удаляет сохранённую сессию' },
    expected: {
      en: 'a persistent session with a subscription; the same id with clean session 1: session present 0; then with clean session 0 again: session present 0 and nothing of the old subscription',
      ru: 'постоянная сессия с подпиской; тот же идентификатор с clean session 1: session present 0; затем снова с clean session 0: session present 0 и ничего от прежней подписки',
    },
    why: {
      clause: 'MQTT 3.1.1 §3.1.2.4, §3.2.2.2 [MQTT-3.1.2-6, MQTT-3.2.2-1]',
      text: {
        en: 'With clean session 1 the server MUST discard any previous session of that client id and start a new one that ends with the connection; its state is never used again.',
        ru: 'При clean session 1 сервер ОБЯЗАН удалить прежнюю сессию этого идентификатора и начать новую, которая закончится вместе с соединением; её состояние больше не используется.',
      },
    },
    run: async (context, state) => {
      const clientId = clientIdOf(state, 'discard');
      state.sessions.add(clientId);
      const topic = topicOf(state, 'discarded');
      const observation = await mqttExchange(async (log) => {
        const first = await accepted(context, log, 'worker', { clientId, cleanSession: false });
        await subscribed(first, 1, [{ filter: topic, qos: 1 }]);
        await first.disconnect();
        const clean = await connectMqtt(context, log, 'worker clean', { clientId, cleanSession: true });
        await clean.connection.disconnect();
        const publisher = await accepted(context, log, 'pub', { clientId: clientIdOf(state, 'discpub') });
        await publishedAtQos1(publisher, { topic, payload: `for the old session ${state.run}`, packetId: 50 });
        const again = await accepted(context, log, 'worker again', { clientId, cleanSession: false });
        const againPresent = log.lines.some((line) => line.startsWith('[worker again] ← CONNACK session present 1'));
        // A marker on the same topic from the same publisher: had the old subscription survived, the first message came before it (§4.6).
        await subscribed(again, 2, [{ filter: topic, qos: 1 }]);
        await publishedAtQos1(publisher, { topic, payload: 'marker', packetId: 51 });
        await again.nextDelivery('marker', 'the marker');
        // a retained copy (RETAIN 1) would be §3.3.1's business, not the session's
        const old = again.delivered.filter((message) => message.payload.length > 6 && !message.retain).length;
        return [
          [
            clean.connack?.returnCode === 0,
            { en: `clean session 1 got ${connackText(clean.connack).en}`, ru: `на clean session 1 пришёл ${connackText(clean.connack).ru}` },
          ],
          [clean.connack?.sessionPresent === false, { en: 'clean session 1 got session present 1', ru: 'на clean session 1 пришёл session present 1' }],
          [
            !againPresent,
            { en: 'after the clean session, CONNACK still says session present 1', ru: 'после чистой сессии CONNACK всё ещё говорит session present 1' },
          ],
          [
            old === 0,
            {
              en: 'the discarded subscription still got the message published meanwhile',
              ru: 'удалённая подписка всё равно получила сообщение, опубликованное в промежутке',
            },
          ],
        ];
      });
      await endSession(context, state, clientId);
      return observation;
    },
  },
  {
    id: 'client-id-takeover',
    name: { en: 'A second connection with the same client id takes over', ru: 'Второе подключение с тем же идентификатором вытесняет первое' },
    expected: {
      en: 'the second CONNECT with the same client id gets CONNACK 0, and the server closes the first connection',
      ru: 'второй CONNECT с тем же идентификатором получает CONNACK 0, а первое соединение сервер закрывает',
    },
    why: {
      clause: 'MQTT 3.1.1 §3.1.4 [MQTT-3.1.4-2]',
      text: {
        en: 'A client id names one session and one client: when it connects again (a device that lost its network and came back), the server MUST disconnect the old connection.',
        ru: 'Идентификатор клиента называет одну сессию и одного клиента: если он подключается снова (устройство потеряло сеть и вернулось), сервер ОБЯЗАН разорвать старое соединение.',
      },
    },
    run: (context, state) =>
      mqttExchange(async (log) => {
        const clientId = clientIdOf(state, 'twice');
        const old = await accepted(context, log, 'old', { clientId });
        const { connack } = await connectMqtt(context, log, 'new', { clientId });
        const closed = await old.closedWithin();
        return [
          [connack?.returnCode === 0, { en: `the second CONNECT got ${connackText(connack).en}`, ru: `на второй CONNECT пришёл ${connackText(connack).ru}` }],
          [closed, { en: 'the first connection with that client id stayed open', ru: 'первое соединение с этим идентификатором осталось открытым' }],
        ];
      }),
  },
  {
    id: 'client-id-23-characters',
    name: { en: 'A client id of 23 letters and digits is accepted', ru: 'Идентификатор из 23 букв и цифр принимается' },
    expected: {
      en: 'CONNACK 0 for a 23-character client id of upper- and lower-case letters and digits',
      ru: 'CONNACK 0 на идентификатор из 23 символов: заглавные и строчные буквы и цифры',
    },
    why: {
      clause: 'MQTT 3.1.1 §3.1.3.1 [MQTT-3.1.3-5]',
      text: {
        en: 'A server may accept more, but MUST accept client ids of 1 to 23 bytes made of 0–9, a–z and A–Z: what every client can count on.',
        ru: 'Сервер может принимать и больше, но ОБЯЗАН принимать идентификаторы от 1 до 23 байт из 0–9, a–z и A–Z: на это может рассчитывать любой клиент.',
      },
    },
    run: (context, state) =>
      mqttExchange(async (log) => {
        const clientId = `Wlc${state.run}ZxY0123456789abc`.slice(0, 23);
        const { connection, connack } = await connectMqtt(context, log, 'client', { clientId });
        await connection.disconnect();
        return [[connack?.returnCode === 0, { en: `${clientId} got ${connackText(connack).en}`, ru: `${clientId} получил ${connackText(connack).ru}` }]];
      }),
  },
  {
    id: 'empty-client-id-clean-session',
    name: {
      en: 'An empty client id with clean session 1: a unique one, or CONNACK 2',
      ru: 'Пустой идентификатор при clean session 1: уникальный или CONNACK 2',
    },
    expected: {
      en: 'two clients with an empty client id at once: both keep their connections (each got its own id), or each is refused with CONNACK 2 and closed',
      ru: 'два клиента с пустым идентификатором одновременно: оба сохраняют соединения (каждому свой идентификатор) или каждому отказ CONNACK 2 и закрытие',
    },
    why: {
      clause: 'MQTT 3.1.1 §3.1.3.1 [MQTT-3.1.3-6, MQTT-3.1.3-9]',
      text: {
        en: 'A server MAY accept an empty client id, and then MUST give the client a unique one of its own; or it refuses it with CONNACK 2 and closes. Two such clients must never take each other over.',
        ru: 'Сервер МОЖЕТ принять пустой идентификатор и тогда ОБЯЗАН выдать клиенту собственный уникальный; или он отказывает кодом CONNACK 2 и закрывает соединение. Два таких клиента не должны вытеснять друг друга.',
      },
    },
    run: (context) =>
      mqttExchange(async (log) => {
        const first = await connectMqtt(context, log, 'first', { clientId: '' });
        if (first.connack?.returnCode === 2)
          return [
            [await first.connection.closedWithin(), { en: 'after CONNACK 2 the connection stayed open', ru: 'после CONNACK 2 соединение осталось открытым' }],
          ];
        const second = await connectMqtt(context, log, 'second', { clientId: '' });
        first.connection.send(PINGREQ, ' (is the first client still connected?)');
        const pong = await first.connection.next(PACKET.pingresp, 'the PINGRESP of the first client');
        return [
          [first.connack?.returnCode === 0, { en: `the first got ${connackText(first.connack).en}`, ru: `первый получил ${connackText(first.connack).ru}` }],
          [
            second.connack?.returnCode === 0,
            { en: `the second got ${connackText(second.connack).en}`, ru: `второй получил ${connackText(second.connack).ru}` },
          ],
          [pong !== null, { en: 'the second client with an empty id took the first one over', ru: 'второй клиент с пустым идентификатором вытеснил первого' }],
        ];
      }),
  },
];
