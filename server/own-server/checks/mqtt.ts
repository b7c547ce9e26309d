import { randomBytes } from 'node:crypto';
import { defineSuite, type CheckDefinition, type SuiteContext } from '../check-kit.ts';
import { runTagOf } from '../wirelab-itself.ts';
import { MqttLog, connectMqtt } from '../mqtt-client.ts';
import { PACKET, encodeAck, encodePublish, encodeSubscribe, packetName, readPacketId, readSuback, utf8Text } from '../../../wire/mqtt/mqtt-packets.ts';
import {
  accepted,
  CONNACK_MEANINGS,
  RETAIN_NOT_OFFERED,
  clientIdOf,
  endSession,
  mqttExchange,
  publishedAtQos1,
  settle,
  subscribed,
  topicOf,
  type Expectation,
  type MqttState,
} from './mqtt-exchange.ts';
import { connectChecks } from './mqtt-connect.ts';
import { refusals } from './mqtt-refusals.ts';
import { routingChecks } from './mqtt-routing.ts';

const connection: CheckDefinition<MqttState>[] = [
  {
    id: 'connect-connack-0',
    name: { en: 'CONNECT is answered by CONNACK 0', ru: 'На CONNECT приходит CONNACK 0' },
    expected: {
      en: 'CONNACK as the first packet: return code 0 (accepted), session present 0 (a clean session)',
      ru: 'первым пакетом CONNACK: код возврата 0 (принято), session present 0 (чистая сессия)',
    },
    why: {
      clause: 'MQTT 3.1.1 §3.2 [MQTT-3.2.0-1, MQTT-3.2.2-1]',
      text: {
        en: 'The first packet a server sends is CONNACK. Accepting a clean session it answers 0 and "no session present": it kept nothing of an earlier one.',
        ru: 'Первый пакет сервера — CONNACK. Принимая чистую сессию, он отвечает кодом 0 и «сессии нет»: от прежней он ничего не хранит.',
      },
    },
    run: (context, state) =>
      mqttExchange(async (log) => {
        const { connection: client, first, connack } = await connectMqtt(context, log, 'client', { clientId: clientIdOf(state, 'hello') });
        await client.disconnect();
        return [
          [first !== null, { en: 'the connection closed without an answer', ru: 'соединение закрылось без ответа' }],
          [
            connack !== null,
            {
              en: `the first packet is ${first ? packetName(first.type) : '—'}, not CONNACK`,
              ru: `первый пакет — ${first ? packetName(first.type) : '—'}, а не CONNACK`,
            },
          ],
          [
            connack?.returnCode === 0,
            {
              en: `return code ${connack?.returnCode}${connack && CONNACK_MEANINGS[connack.returnCode] ? ` (${CONNACK_MEANINGS[connack.returnCode].en})` : ''}, not 0`,
              ru: `код возврата ${connack?.returnCode}${connack && CONNACK_MEANINGS[connack.returnCode] ? ` (${CONNACK_MEANINGS[connack.returnCode].ru})` : ''}, а не 0`,
            },
          ],
          [connack?.sessionPresent === false, { en: 'session present is 1 for a clean session', ru: 'для чистой сессии session present равен 1' }],
        ];
      }),
  },
  {
    id: 'protocol-level-connack-1',
    name: { en: 'An unknown protocol level: CONNACK 1, then closed', ru: 'Неизвестная версия протокола: CONNACK 1, затем закрытие' },
    expected: {
      en: 'CONNACK with return code 1 (unacceptable protocol version), then the server closes TCP',
      ru: 'CONNACK с кодом 1 (недопустимая версия протокола), затем сервер закрывает TCP',
    },
    why: {
      clause: 'MQTT 3.1.1 §3.1.2.2 [MQTT-3.1.2-2]',
      text: {
        en: 'The level byte says which MQTT the client speaks (4 is 3.1.1). A level the server does not support MUST get CONNACK 1 and a closed connection, so the client knows to try another version.',
        ru: 'Байт уровня говорит, на каком MQTT говорит клиент (4 — это 3.1.1). На неподдерживаемый уровень сервер ОБЯЗАН ответить CONNACK 1 и закрыть соединение — так клиент поймёт, что нужна другая версия.',
      },
    },
    run: (context, state) =>
      mqttExchange(async (log) => {
        const { connection: client, connack } = await connectMqtt(context, log, 'client', { clientId: clientIdOf(state, 'level'), protocolLevel: 7 });
        const closed = await client.closedWithin();
        return [
          [connack !== null, { en: 'no CONNACK came back', ru: 'CONNACK не пришёл' }],
          [connack?.returnCode === 1, { en: `return code ${connack?.returnCode}, not 1`, ru: `код возврата ${connack?.returnCode}, а не 1` }],
          [closed, { en: 'the server kept the connection open', ru: 'сервер не закрыл соединение' }],
        ];
      }),
  },
  {
    id: 'empty-client-id-connack-2',
    name: { en: 'A persistent session without a client id: CONNACK 2', ru: 'Постоянная сессия без идентификатора клиента: CONNACK 2' },
    expected: {
      en: 'CONNACK with return code 2 (identifier rejected), then the server closes TCP',
      ru: 'CONNACK с кодом 2 (идентификатор отклонён), затем сервер закрывает TCP',
    },
    why: {
      clause: 'MQTT 3.1.1 §3.1.3.1 [MQTT-3.1.3-8]',
      text: {
        en: 'A session kept between connections is found again by its client id; an empty id with clean session 0 names nothing to keep, so the server MUST refuse it with 2 and close.',
        ru: 'Сессию, которая живёт между подключениями, находят по идентификатору клиента; пустой идентификатор при clean session 0 ничего не называет, поэтому сервер ОБЯЗАН отказать кодом 2 и закрыть соединение.',
      },
    },
    run: (context) =>
      mqttExchange(async (log) => {
        const { connection: client, connack } = await connectMqtt(context, log, 'client', { clientId: '', cleanSession: false });
        const closed = await client.closedWithin();
        return [
          [connack !== null, { en: 'no CONNACK came back', ru: 'CONNACK не пришёл' }],
          [connack?.returnCode === 2, { en: `return code ${connack?.returnCode}, not 2`, ru: `код возврата ${connack?.returnCode}, а не 2` }],
          [closed, { en: 'the server kept the connection open', ru: 'сервер не закрыл соединение' }],
        ];
      }),
  },
  {
    id: 'pingreq-pingresp',
    name: { en: 'PINGREQ is answered by PINGRESP', ru: 'На PINGREQ приходит PINGRESP' },
    expected: { en: 'a PINGRESP (d0 00)', ru: 'PINGRESP (d0 00)' },
    why: {
      clause: 'MQTT 3.1.1 §3.12.4 [MQTT-3.12.4-1]',
      text: {
        en: 'A client with nothing to send pings to show it is alive and to see that the server is; the server MUST answer each PINGREQ with a PINGRESP.',
        ru: 'Клиент, которому нечего отправить, шлёт ping, чтобы показать, что жив, и убедиться, что жив сервер; на каждый PINGREQ сервер ОБЯЗАН ответить PINGRESP.',
      },
    },
    run: (context, state) =>
      mqttExchange(async (log) => {
        const client = await accepted(context, log, 'client', { clientId: clientIdOf(state, 'ping') });
        client.send(Buffer.from([0xc0, 0x00]));
        const pong = await client.next(null, 'the PINGRESP');
        await client.disconnect();
        return [
          [
            pong?.type === PACKET.pingresp,
            {
              en: `the answer is ${pong ? packetName(pong.type) : 'nothing'}, not PINGRESP`,
              ru: `ответ — ${pong ? packetName(pong.type) : 'ничего'}, а не PINGRESP`,
            },
          ],
        ];
      }),
  },
  {
    id: 'subscribe-suback',
    name: { en: 'SUBSCRIBE is answered by SUBACK with the granted QoS', ru: 'На SUBSCRIBE приходит SUBACK с выданным QoS' },
    expected: {
      en: 'SUBACK with packet id 4242 and one code per filter, each at most the QoS asked for (0, 1, 2)',
      ru: 'SUBACK с идентификатором 4242 и кодом на каждый фильтр, не выше запрошенного QoS (0, 1, 2)',
    },
    why: {
      clause: 'MQTT 3.1.1 §3.8.4, §3.9.3 [MQTT-3.8.4-2]',
      text: {
        en: 'SUBACK carries the packet id of the SUBSCRIBE it answers and a return code per filter, in order: the QoS granted (it may be lower than asked) or 0x80 for a refusal.',
        ru: 'SUBACK несёт идентификатор того SUBSCRIBE, на который отвечает, и по коду на каждый фильтр, по порядку: выданный QoS (он может быть ниже запрошенного) или 0x80 — отказ.',
      },
    },
    run: (context, state) =>
      mqttExchange(async (log) => {
        const client = await accepted(context, log, 'client', { clientId: clientIdOf(state, 'suback') });
        const asked = [0, 1, 2];
        client.send(
          encodeSubscribe(
            4242,
            asked.map((qos) => ({ filter: topicOf(state, `suback/q${qos}`), qos })),
          ),
        );
        const suback = await client.next(PACKET.suback, 'the SUBACK');
        await client.disconnect();
        const { packetId, returnCodes } = suback ? readSuback(suback) : { packetId: null, returnCodes: [] };
        return [
          [suback !== null, { en: 'no SUBACK came back', ru: 'SUBACK не пришёл' }],
          [packetId === 4242, { en: `SUBACK carries packet id ${packetId}, not 4242`, ru: `в SUBACK идентификатор ${packetId}, а не 4242` }],
          [returnCodes.length === 3, { en: `${returnCodes.length} return codes for 3 filters`, ru: `кодов возврата ${returnCodes.length} на 3 фильтра` }],
          [
            returnCodes.every((code, index) => code <= asked[index]),
            {
              en: `granted ${returnCodes.join(', ')}: a refusal (0x80) or more than asked`,
              ru: `выдано ${returnCodes.join(', ')}: отказ (0x80) или больше запрошенного`,
            },
          ],
        ];
      }),
  },
];

const delivery: CheckDefinition<MqttState>[] = [
  {
    id: 'qos1-puback-delivered',
    name: { en: 'QoS 1: PUBACK with the packet id, and the message delivered', ru: 'QoS 1: PUBACK с идентификатором пакета, и сообщение доставлено' },
    expected: {
      en: 'PUBACK with packet id 4660 to the publisher; the message at QoS 1 to a subscriber of its topic',
      ru: 'издателю — PUBACK с идентификатором 4660; подписчику на тему — сообщение с QoS 1',
    },
    why: {
      clause: 'MQTT 3.1.1 §4.3.2 [MQTT-4.3.2-2]',
      text: {
        en: 'At least once: the receiver of a QoS 1 PUBLISH answers with PUBACK carrying its packet id (until then the sender keeps it and may resend), and passes the message on to every matching subscription.',
        ru: 'Хотя бы один раз: получатель PUBLISH с QoS 1 отвечает PUBACK с его идентификатором (до этого отправитель хранит сообщение и может повторить) и передаёт сообщение всем подходящим подпискам.',
      },
    },
    run: (context, state) =>
      mqttExchange(async (log) => {
        const topic = topicOf(state, 'qos1');
        const subscriber = await accepted(context, log, 'sub', { clientId: clientIdOf(state, 'q1sub') });
        const [granted] = await subscribed(subscriber, 1, [{ filter: topic, qos: 1 }]);
        const publisher = await accepted(context, log, 'pub', { clientId: clientIdOf(state, 'q1pub') });
        const payload = `at least once ${state.run}`;
        const acknowledged = await publishedAtQos1(publisher, { topic, payload, packetId: 4660 });
        const message = await subscriber.nextDelivery(payload, 'the QoS 1 message at the subscriber');
        return [
          [acknowledged, { en: 'the server closed the connection instead of PUBACK', ru: 'вместо PUBACK сервер закрыл соединение' }],
          [message !== null, { en: 'the subscriber got nothing', ru: 'подписчик ничего не получил' }],
          [message?.topic === topic, { en: `delivered on topic ${JSON.stringify(message?.topic)}`, ru: `доставлено в тему ${JSON.stringify(message?.topic)}` }],
          [
            message?.qos === Math.min(1, granted),
            { en: `delivered at QoS ${message?.qos}, granted ${granted}`, ru: `доставлено с QoS ${message?.qos}, а выдан ${granted}` },
          ],
        ];
      }),
  },
  {
    id: 'qos2-exactly-once',
    name: { en: 'QoS 2: PUBREC, PUBREL, PUBCOMP, and delivered exactly once', ru: 'QoS 2: PUBREC, PUBREL, PUBCOMP, и доставлено ровно один раз' },
    expected: {
      en: 'PUBREC 514 for the PUBLISH and again for its resend (DUP), PUBCOMP 514 for PUBREL 514; the subscriber gets the message once, at QoS 2 (a marker published after it ends the wait)',
      ru: 'PUBREC 514 на PUBLISH и снова на его повтор (DUP), PUBCOMP 514 на PUBREL 514; подписчик получает сообщение один раз, с QoS 2 (ожидание заканчивает метка, опубликованная после него)',
    },
    why: {
      clause: 'MQTT 3.1.1 §4.3.3 [MQTT-4.3.3-2]',
      text: {
        en: 'Exactly once: until PUBREL comes, the receiver answers every PUBLISH with that packet id by PUBREC and MUST NOT pass it on twice; PUBREL is answered by PUBCOMP.',
        ru: 'Ровно один раз: пока не пришёл PUBREL, получатель отвечает на каждый PUBLISH с этим идентификатором через PUBREC и НЕ ДОЛЖЕН передать сообщение дальше дважды; на PUBREL отвечают PUBCOMP.',
      },
    },
    run: (context, state) =>
      mqttExchange(async (log) => {
        const topic = topicOf(state, 'qos2');
        const subscriber = await accepted(context, log, 'sub', { clientId: clientIdOf(state, 'q2sub') });
        const [granted] = await subscribed(subscriber, 1, [{ filter: topic, qos: 2 }]);
        if (granted < 2) {
          return {
            notOffered: {
              en: `the server granted QoS ${granted} for a QoS 2 subscription: it offers at most QoS ${granted}`,
              ru: `на подписку с QoS 2 сервер выдал QoS ${granted}: выше QoS ${granted} он не предлагает`,
            },
          };
        }
        const publisher = await accepted(context, log, 'pub', { clientId: clientIdOf(state, 'q2pub') });
        const payload = `exactly once ${state.run}`;
        const publish = { topic, payload, qos: 2, packetId: 514 };
        publisher.send(encodePublish(publish));
        const firstRec = await publisher.next(PACKET.pubrec, 'PUBREC');
        publisher.send(encodePublish({ ...publish, dup: true }), ' (resent, as after a lost PUBREC)');
        const secondRec = await publisher.next(PACKET.pubrec, 'PUBREC for the resend');
        publisher.send(encodeAck(PACKET.pubrel, 514));
        const comp = await publisher.next(PACKET.pubcomp, 'PUBCOMP');
        const message = await subscriber.nextDelivery(payload, 'the QoS 2 message at the subscriber');
        // The wait for a second copy ends at a marker, not at the first copy's PUBREL: a server may
        // send the copy only once the first one's handshake is over, and late. The marker goes as
        // the message did, from "pub" on the topic at QoS 2, and a server sends one client's
        // messages on one topic at one QoS in the order it received them [MQTT-4.6.0-6, §4.6]: a
        // copy it made of the resend, received before the marker, comes before it, however slow.
        const marker = `marker ${state.run}`;
        if (comp) {
          publisher.send(encodePublish({ topic, payload: marker, qos: 2, packetId: 515 }));
          if (await publisher.next(PACKET.pubrec, 'PUBREC of the marker')) {
            publisher.send(encodeAck(PACKET.pubrel, 515));
            await publisher.next(PACKET.pubcomp, 'PUBCOMP of the marker');
          }
          await subscriber.nextDelivery(marker, 'the marker at the subscriber');
        }
        await settle(context);
        const copies = subscriber.delivered.filter((delivered) => utf8Text(delivered.payload) === payload).length;
        const idOf = (packet: typeof firstRec) => (packet ? readPacketId(packet) : null);
        return [
          [idOf(firstRec) === 514, { en: `PUBREC carries ${idOf(firstRec) ?? 'nothing'}, not 514`, ru: `в PUBREC ${idOf(firstRec) ?? 'ничего'}, а не 514` }],
          [idOf(secondRec) === 514, { en: 'the resent PUBLISH got no PUBREC 514', ru: 'на повторный PUBLISH не пришёл PUBREC 514' }],
          [idOf(comp) === 514, { en: 'PUBREL got no PUBCOMP 514', ru: 'на PUBREL не пришёл PUBCOMP 514' }],
          [
            message?.qos === 2,
            {
              en: `the subscriber got ${message ? `QoS ${message.qos}` : 'nothing'}, not QoS 2`,
              ru: `подписчик получил ${message ? `QoS ${message.qos}` : 'ничего'}, а не QoS 2`,
            },
          ],
          [copies === 1, { en: `delivered ${copies} times, not once`, ru: `число доставок: ${copies}, а не одна` }],
        ];
      }),
  },
];

const retained: CheckDefinition<MqttState>[] = [
  {
    id: 'retained-to-new-subscriber',
    name: { en: 'A retained message reaches a later subscriber, with RETAIN set', ru: 'Сохранённое сообщение приходит позднему подписчику с флагом RETAIN' },
    expected: {
      en: 'a subscriber already there gets it with RETAIN 0; one that subscribes afterwards gets it at once with RETAIN 1',
      ru: 'подписчик, который уже был, получает его с RETAIN 0; подписавшийся позже — сразу, с RETAIN 1',
    },
    why: {
      clause: 'MQTT 3.1.1 §3.3.1.3 [MQTT-3.3.1-5, MQTT-3.3.1-6, MQTT-3.3.1-8, MQTT-3.3.1-9]',
      text: {
        en: 'A PUBLISH with RETAIN 1 is kept for its topic; every new subscription to the topic gets it first, marked RETAIN 1, while live deliveries carry RETAIN 0.',
        ru: 'PUBLISH с RETAIN 1 сохраняется для своей темы; каждая новая подписка на тему сначала получает его с пометкой RETAIN 1, а обычная доставка идёт с RETAIN 0.',
      },
    },
    run: (context, state) =>
      mqttExchange(async (log) => {
        const topic = topicOf(state, 'retained');
        const early = await accepted(context, log, 'early', { clientId: clientIdOf(state, 'rtearly') });
        await subscribed(early, 1, [{ filter: topic, qos: 1 }]);
        const publisher = await accepted(context, log, 'pub', { clientId: clientIdOf(state, 'rtpub') });
        const payload = `retained ${state.run}`;
        state.retained.add(topic);
        if (!(await publishedAtQos1(publisher, { topic, payload, retain: true, packetId: 7 }))) return { notOffered: RETAIN_NOT_OFFERED };
        const live = await early.nextDelivery(payload, 'the live delivery to the earlier subscriber');
        const late = await accepted(context, log, 'late', { clientId: clientIdOf(state, 'rtlate') });
        await subscribed(late, 1, [{ filter: topic, qos: 1 }]);
        const kept = await late.nextDelivery(payload, 'the retained message at the later subscriber');
        if (await publishedAtQos1(publisher, { topic, payload: '', retain: true, packetId: 8 })) state.retained.delete(topic);
        return [
          [live !== null, { en: 'the subscriber already there got nothing', ru: 'подписчик, который уже был, ничего не получил' }],
          [live?.retain === false, { en: 'the live delivery carries RETAIN 1', ru: 'обычная доставка пришла с RETAIN 1' }],
          [kept !== null, { en: 'the later subscriber got nothing', ru: 'поздний подписчик ничего не получил' }],
          [kept?.retain === true, { en: 'the later subscriber got it without RETAIN', ru: 'поздний подписчик получил его без RETAIN' }],
        ];
      }),
  },
  {
    id: 'retained-cleared-by-empty',
    name: { en: 'An empty retained message clears the retained one', ru: 'Пустое сохраняемое сообщение стирает сохранённое' },
    expected: {
      en: 'after a retained message and then an empty retained one on the same topic, a new subscriber gets only the marker published there after its SUBACK',
      ru: 'после сохраняемого сообщения и затем пустого сохраняемого в ту же тему новый подписчик получает только метку, опубликованную туда после его SUBACK',
    },
    why: {
      clause: 'MQTT 3.1.1 §3.3.1.3 [MQTT-3.3.1-10, MQTT-3.3.1-11]',
      text: {
        en: 'A retained PUBLISH with an empty payload removes the message kept for its topic, and is not kept itself: that is how a retained message is deleted.',
        ru: 'Сохраняемый PUBLISH с пустым содержимым удаляет сообщение, сохранённое для темы, и сам не сохраняется: так сохранённое сообщение и удаляют.',
      },
    },
    run: (context, state) =>
      mqttExchange(async (log) => {
        const topic = topicOf(state, 'cleared');
        const publisher = await accepted(context, log, 'pub', { clientId: clientIdOf(state, 'clpub') });
        state.retained.add(topic);
        if (!(await publishedAtQos1(publisher, { topic, payload: `to be cleared ${state.run}`, retain: true, packetId: 9 })))
          return { notOffered: RETAIN_NOT_OFFERED };
        const cleared = await publishedAtQos1(publisher, { topic, payload: '', retain: true, packetId: 10 });
        if (cleared) state.retained.delete(topic);
        const late = await accepted(context, log, 'late', { clientId: clientIdOf(state, 'cllate') });
        await subscribed(late, 1, [{ filter: topic, qos: 1 }]);
        // Not a time but a marker ends the wait: "pub" publishes it on the same topic, at QoS 1 as
        // the retained message, once the SUBACK is back. A message the server wrongly kept is sent
        // when the subscription is made [MQTT-3.3.1-6] (§3.8.4 lets it come even before the
        // SUBACK), and it was received from "pub" before the marker; a server sends one client's
        // messages on one topic at one QoS in the order it received them [MQTT-4.6.0-6, §4.6].
        // So a broker that kept it, however slow, delivers it before the marker. (400 ms of
        // silence alone passed one that sent it later than that: a loaded machine, a slow broker.)
        const marker = `marker ${state.run}`;
        if (cleared && (await publishedAtQos1(publisher, { topic, payload: marker, packetId: 11 }))) await late.nextDelivery(marker, 'the marker');
        await settle(context);
        const kept = late.delivered.filter((message) => utf8Text(message.payload) !== marker);
        const got = kept.map((message) => JSON.stringify(utf8Text(message.payload))).join(', ');
        return [
          [cleared, { en: 'the server closed the connection at the empty retained PUBLISH', ru: 'на пустой PUBLISH с RETAIN сервер закрыл соединение' }],
          [kept.length === 0, { en: `the new subscriber still got ${got}`, ru: `новый подписчик всё равно получил ${got}` }],
        ];
      }),
  },
];

/**
 * Subscribes to `filter` (at QoS 0: the subscriber's acknowledgements would only crowd the
 * transcript), publishes each topic at QoS 1 (each PUBACK says the broker routed it) and then
 * `marker`; what arrived once the marker did.
 */
async function deliveredThrough(context: SuiteContext, log: MqttLog, state: MqttState, filter: string, topics: string[], marker: string): Promise<string[]> {
  const subscriber = await accepted(context, log, 'sub', { clientId: clientIdOf(state, 'wcsub') });
  await subscribed(subscriber, 1, [{ filter, qos: 0 }]);
  const publisher = await accepted(context, log, 'pub', { clientId: clientIdOf(state, 'wcpub') });
  let packetId = 20;
  for (const topic of [...topics, marker]) await publishedAtQos1(publisher, { topic, payload: `m${packetId}`, packetId: packetId++ });
  await subscriber.nextDelivery(`m${packetId - 1}`, 'the marker message');
  await settle(context);
  return subscriber.delivered.map((message) => message.topic);
}

function sameTopics(got: string[], wanted: string[]): Expectation {
  const shown = (topics: string[]) => topics.map((topic) => topic.replace(/^wirelab-check\/[0-9a-f]+\//, '…/')).join(', ') || '—';
  const same = got.length === wanted.length && wanted.every((topic) => got.includes(topic));
  return [same, { en: `delivered ${shown(got)}; expected ${shown(wanted)}`, ru: `доставлено ${shown(got)}; ожидалось ${shown(wanted)}` }];
}

const wildcards: CheckDefinition<MqttState>[] = [
  {
    id: 'wildcard-plus',
    name: { en: 'The wildcard + matches exactly one level', ru: 'Подстановка + совпадает ровно с одним уровнем' },
    expected: {
      en: '…/+/temp gets …/kitchen/temp and …/hall/temp, not …/kitchen/oven/temp, …/kitchen/hum nor …/temp',
      ru: '…/+/temp получает …/kitchen/temp и …/hall/temp, но не …/kitchen/oven/temp, …/kitchen/hum и …/temp',
    },
    why: {
      clause: 'MQTT 3.1.1 §4.7.1.3',
      text: {
        en: '+ stands for one whole topic level, whatever its name: not for none, not for two.',
        ru: '+ заменяет один целый уровень темы с любым именем: не ноль уровней и не два.',
      },
    },
    run: (context, state) =>
      mqttExchange(async (log) => {
        const at = (name: string) => topicOf(state, `plus/${name}`);
        const got = await deliveredThrough(
          context,
          log,
          state,
          at('+/temp'),
          [at('kitchen/temp'), at('kitchen/oven/temp'), at('kitchen/hum'), topicOf(state, 'plus/temp')],
          at('hall/temp'),
        );
        return [sameTopics(got, [at('kitchen/temp'), at('hall/temp')])];
      }),
  },
  {
    id: 'wildcard-hash',
    name: { en: 'The wildcard # matches the level above and everything below', ru: 'Подстановка # совпадает с уровнем выше и со всем ниже' },
    expected: {
      en: '…/house/# gets …/house, …/house/a and …/house/a/b/c, not …/housing/a',
      ru: '…/house/# получает …/house, …/house/a и …/house/a/b/c, но не …/housing/a',
    },
    why: {
      clause: 'MQTT 3.1.1 §4.7.1.2',
      text: {
        en: '# stands for any number of levels, none included: "sport/#" also matches "sport" itself, but never a topic whose level only begins the same.',
        ru: '# заменяет любое число уровней, включая ноль: «sport/#» совпадает и с самой «sport», но не с темой, уровень которой лишь начинается так же.',
      },
    },
    run: (context, state) =>
      mqttExchange(async (log) => {
        const house = topicOf(state, 'house');
        const got = await deliveredThrough(
          context,
          log,
          state,
          `${house}/#`,
          [house, `${house}/a`, `${house}/a/b/c`, topicOf(state, 'housing/a')],
          `${house}/z`,
        );
        return [sameTopics(got, [house, `${house}/a`, `${house}/a/b/c`, `${house}/z`])];
      }),
  },
];

const sessionAndWill: CheckDefinition<MqttState>[] = [
  {
    id: 'persistent-session',
    name: { en: 'A persistent session keeps its subscription and what came while away', ru: 'Постоянная сессия хранит подписку и то, что пришло без клиента' },
    expected: {
      en: 'reconnecting with clean session 0: CONNACK with session present 1, then the QoS 1 message published while it was away',
      ru: 'при повторном подключении с clean session 0: CONNACK с session present 1, затем сообщение QoS 1, опубликованное в его отсутствие',
    },
    why: {
      clause: 'MQTT 3.1.1 §3.1.2.4, §3.2.2.2 [MQTT-3.1.2-4, MQTT-3.1.2-5, MQTT-3.2.2-2]',
      text: {
        en: 'With clean session 0 the server keeps the session after the client goes: its subscriptions and the QoS 1 and 2 messages for them. Coming back, the client hears "session present" and gets what it missed.',
        ru: 'При clean session 0 сервер хранит сессию и после ухода клиента: его подписки и сообщения QoS 1 и 2 для них. Вернувшись, клиент слышит «сессия есть» и получает пропущенное.',
      },
    },
    run: async (context, state) => {
      const clientId = clientIdOf(state, 'session');
      state.sessions.add(clientId);
      const topic = topicOf(state, 'session');
      const payload = `while away ${state.run}`;
      const observation = await mqttExchange(async (log) => {
        const first = await accepted(context, log, 'worker', { clientId, cleanSession: false });
        await subscribed(first, 1, [{ filter: topic, qos: 1 }]);
        await first.disconnect();
        const publisher = await accepted(context, log, 'pub', { clientId: clientIdOf(state, 'sespub') });
        const acknowledged = await publishedAtQos1(publisher, { topic, payload, packetId: 30 });
        await publisher.disconnect();
        const back = await connectMqtt(context, log, 'worker again', { clientId, cleanSession: false });
        const missed = back.connack?.returnCode === 0 ? await back.connection.nextDelivery(payload, 'the message published while away') : null;
        return [
          [acknowledged, { en: 'the publisher got no PUBACK', ru: 'издатель не получил PUBACK' }],
          [
            back.connack?.returnCode === 0,
            {
              en: `the second CONNECT got ${back.connack ? `return code ${back.connack.returnCode}` : 'no CONNACK'}`,
              ru: `на второй CONNECT пришёл ${back.connack ? `код ${back.connack.returnCode}` : 'не CONNACK'}`,
            },
          ],
          [back.connack?.sessionPresent === true, { en: 'CONNACK says session present 0', ru: 'CONNACK говорит session present 0' }],
          [missed !== null, { en: 'the message published while away never came', ru: 'сообщение, опубликованное в отсутствие клиента, так и не пришло' }],
        ];
      });
      await endSession(context, state, clientId);
      return observation;
    },
  },
  {
    id: 'will-on-abrupt-close',
    name: { en: 'The will is published when a client vanishes', ru: 'Завещание публикуется, когда клиент пропадает' },
    expected: {
      en: 'a client with a will closes TCP without DISCONNECT: a subscriber of the will topic gets the will',
      ru: 'клиент с завещанием закрывает TCP без DISCONNECT: подписчик темы завещания получает завещание',
    },
    why: {
      clause: 'MQTT 3.1.1 §3.1.2.5 [MQTT-3.1.2-8]',
      text: {
        en: 'The will is the message a client leaves at CONNECT; the server MUST publish it when the connection ends without a DISCONNECT — so others learn the client is gone.',
        ru: 'Завещание — сообщение, которое клиент оставляет при CONNECT; сервер ОБЯЗАН опубликовать его, если соединение оборвалось без DISCONNECT, — так другие узнают, что клиента больше нет.',
      },
    },
    run: (context, state) =>
      mqttExchange(async (log) => {
        const topic = topicOf(state, 'will/abrupt');
        const payload = `gone ${state.run}`;
        const watcher = await accepted(context, log, 'watcher', { clientId: clientIdOf(state, 'wwatch') });
        await subscribed(watcher, 1, [{ filter: topic, qos: 1 }]);
        const client = await accepted(context, log, 'client', { clientId: clientIdOf(state, 'wclient'), will: { topic, payload, qos: 1 } });
        log.lines.push('[client] ✕ TCP closed by the client, no DISCONNECT');
        await client.end();
        const will = await watcher.nextDelivery(payload, 'the will');
        return [[will !== null, { en: 'the will never came', ru: 'завещание так и не пришло' }]];
      }),
  },
  {
    id: 'no-will-after-disconnect',
    name: { en: 'No will after a DISCONNECT', ru: 'После DISCONNECT завещания нет' },
    expected: {
      en: 'a client with a will says DISCONNECT and closes: the will topic gets only the marker published afterwards',
      ru: 'клиент с завещанием отправляет DISCONNECT и закрывает соединение: в тему завещания приходит только метка, опубликованная после',
    },
    why: {
      clause: 'MQTT 3.1.1 §3.14.4 [MQTT-3.14.4-3, MQTT-3.1.2-10]',
      text: {
        en: 'DISCONNECT is a clean goodbye: on it the server MUST discard the will without publishing it.',
        ru: 'DISCONNECT — это вежливое прощание: получив его, сервер ОБЯЗАН выбросить завещание, не публикуя.',
      },
    },
    run: (context, state) =>
      mqttExchange(async (log) => {
        const topic = topicOf(state, 'will/clean');
        const payload = `should not come ${state.run}`;
        const watcher = await accepted(context, log, 'watcher', { clientId: clientIdOf(state, 'nwwatch') });
        await subscribed(watcher, 1, [{ filter: topic, qos: 1 }]);
        const client = await accepted(context, log, 'client', { clientId: clientIdOf(state, 'nwclient'), will: { topic, payload, qos: 1 } });
        await client.disconnect();
        const publisher = await accepted(context, log, 'pub', { clientId: clientIdOf(state, 'nwpub') });
        await publishedAtQos1(publisher, { topic, payload: 'marker', packetId: 40 });
        await watcher.nextDelivery('marker', 'the marker');
        await settle(context);
        const wills = watcher.delivered.filter((message) => utf8Text(message.payload) === payload).length;
        return [[wills === 0, { en: 'the will was published after a DISCONNECT', ru: 'завещание опубликовано после DISCONNECT' }]];
      }),
  },
];

export const mqttSuite = defineSuite<MqttState>({
  prepare: async (context) => {
    const run = randomBytes(3).toString('hex');
    return { run, topicPart: runTagOf(context) ?? run, retained: new Set(), sessions: new Set() };
  },
  checks: [...connection, ...connectChecks, ...delivery, ...retained, ...wildcards, ...routingChecks, ...sessionAndWill, ...refusals],
  async cleanUp(context, state) {
    // A check that failed half way may leave a retained message or a session behind: clear them.
    if (state.retained.size > 0) {
      await mqttExchange(async (log) => {
        const client = await accepted(context, log, 'cleanup', { clientId: clientIdOf(state, 'cleanup') });
        let packetId = 90;
        for (const topic of state.retained)
          if (await publishedAtQos1(client, { topic, payload: '', retain: true, packetId: packetId++ })) state.retained.delete(topic);
        await client.disconnect();
        return [];
      });
    }
    for (const clientId of [...state.sessions]) await endSession(context, state, clientId);
  },
});
